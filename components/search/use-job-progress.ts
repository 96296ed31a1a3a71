"use client";
// A job's state from its SSE stream (GET /api/jobs/:id/stream): `progress` events while it runs, then
// one `end` event once it will change no more. Only `end` ends it here: a cancelled job reads
// "cancelled" at once, but its last batch is still being deleted until the server sends `end`.
import { useEffect, useRef, useState } from "react";
import type { JobView } from "./search-api";

/** The job's latest state (null until the first event); `onEnd` is called once, with the final state. */
export function useJobProgress(jobId: string | null, onEnd: (job: JobView) => void): JobView | null {
  const [job, setJob] = useState<JobView | null>(null);
  const latest = useRef(onEnd);
  latest.current = onEnd;
  useEffect(() => {
    setJob(null);
    if (!jobId) return;
    const es = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/stream`);
    const read = (ev: Event, ended: boolean) => {
      let next: JobView;
      try {
        next = JSON.parse((ev as MessageEvent<string>).data) as JobView;
      } catch {
        return; // an event that is not a job
      }
      setJob(next);
      if (ended) {
        es.close();
        latest.current(next);
      }
    };
    es.addEventListener("progress", (ev) => read(ev, false));
    es.addEventListener("end", (ev) => read(ev, true));
    return () => es.close();
  }, [jobId]);
  return job;
}
