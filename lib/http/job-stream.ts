// Server-Sent Events of one job's progress (GET /api/jobs/:id/stream): the job as `progress` events whenever it
// changed (read every JOB_STREAM_POLL_MS, authorized again each time), then one `end` event once it is done, failed or
// cancelled, and the stream closes. A caller who can no longer see the job gets `access_ended`.
import type { JobView } from "../jobs/jobs";
import { jobEnded } from "../jobs/jobs";
import { SSE_HEADERS } from "./sse";

export const JOB_STREAM_POLL_MS = 250;
const HEARTBEAT_MS = 15_000;

export { SSE_HEADERS };

export function openJobStream(load: () => Promise<JobView>, signal: AbortSignal, pollMs = JOB_STREAM_POLL_MS): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let quietSince = Date.now();
      const close = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const send = (event: string, data: unknown) => {
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        quietSince = Date.now();
      };
      const tick = async () => {
        if (closed) return;
        let job: JobView;
        try {
          job = await load();
        } catch {
          send("access_ended", { reason: "not_found" });
          return close();
        }
        try {
          const text = JSON.stringify(job);
          if (text !== last) {
            last = text;
            send("progress", job);
          } else if (Date.now() - quietSince > HEARTBEAT_MS) {
            controller.enqueue(encoder.encode(": keep-alive\n\n"));
            quietSince = Date.now();
          }
          if (jobEnded(job)) {
            send("end", job);
            return close();
          }
        } catch {
          return close();
        }
        timer = setTimeout(() => void tick(), pollMs);
      };
      signal.addEventListener("abort", close, { once: true });
      void tick();
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
}
