// A minimal SSE client over node:http (tests control Last-Event-ID and see raw frames), as in
// tests/integration/stream.test.ts.
import http from "node:http";

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

export function openStream(url: string, headers: Record<string, string>) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let status = 0;
  let endedAt = 0;
  const req = http.get(url, { headers: { accept: "text/event-stream", ...headers } });
  const opened = new Promise<void>((resolve, reject) => {
    req.on("response", (res) => {
      status = res.statusCode ?? 0;
      let buf = "";
      res.setEncoding("utf8");
      const ended = () => {
        endedAt ||= Date.now();
        for (const w of waiters.splice(0)) w();
      };
      res.on("end", ended);
      res.on("close", ended);
      res.on("data", (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: SseEvent = {};
          for (const line of frame.split("\n")) {
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) ev[m[1] as keyof SseEvent] = m[2];
          }
          if (ev.event || ev.data) {
            events.push(ev);
            for (const w of waiters.splice(0)) w();
          }
        }
      });
      resolve();
    });
    req.on("error", reject);
  });
  const captures = () =>
    events
      .filter((e) => e.event === "capture")
      .map((e) => ({ seq: Number(e.id), ...(JSON.parse(e.data!) as { id: string; path: string }) }));
  return {
    opened,
    events,
    captures,
    get status() {
      return status;
    },
    get endedAt() {
      return endedAt;
    },
    async until(pred: () => boolean, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`stream wait timed out; have ${events.length} events`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    close: () => req.destroy(),
  };
}
