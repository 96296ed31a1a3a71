"use client";
// "Delete matching": deletes the captures the current query matches. A dry run counts them first
// and the confirmation names that count and the query; a large delete runs as a job on the server,
// followed here with its progress stream (GET /api/jobs/:id/stream) as a progress bar; the list
// refreshes when it ends.
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../inspector/api";
import { Dialog } from "../ui/dialog";
import { BUTTON, DANGER } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { deleteByQuery, describeCount, type JobView, type MatchCount } from "./search-api";

const FINAL = new Set(["done", "failed", "cancelled"]);

/** A job's state from its SSE stream (`progress` events, then `end`); null until the first event. */
function useJobProgress(jobId: string | null, onEnd: (job: JobView) => void): JobView | null {
  const [job, setJob] = useState<JobView | null>(null);
  useEffect(() => {
    if (!jobId) return;
    const es = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/stream`);
    const read = (ev: Event) => {
      try {
        const next = JSON.parse((ev as MessageEvent<string>).data) as JobView;
        setJob(next);
        if (FINAL.has(next.state)) {
          es.close();
          onEnd(next);
        }
      } catch {
        // An event that is not a job: ignored.
      }
    };
    es.addEventListener("progress", read);
    es.addEventListener("end", read);
    return () => es.close();
  }, [jobId, onEnd]);
  return job;
}

interface Props {
  endpointId: string;
  query: string;
  /** After the delete (or its job) ended: refetch the list and the count. */
  onDeleted(): void;
}

export function BulkDeleteButton({ endpointId, query, onDeleted }: Props) {
  const [counted, setCounted] = useState<MatchCount | null>(null);
  const count = counted?.count ?? null;
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const dryRun = useMutation(async () => {
    const answer = await deleteByQuery(endpointId, query, true);
    setResult(null);
    setCounted("count" in answer ? answer : { count: 0 });
  }, errorMessage);
  const finish = useCallback(
    (job: JobView) => {
      setResult(
        job.state === "done"
          ? `Deleted ${job.done.toLocaleString()} captures.`
          : `The delete ${job.state} after ${job.done.toLocaleString()}.`,
      );
      onDeleted();
    },
    [onDeleted],
  );
  const job = useJobProgress(jobId, finish);
  const remove = useMutation(async () => {
    const answer = await deleteByQuery(endpointId, query, false);
    if ("job" in answer) setJobId(answer.job.id);
    else {
      setResult(`Deleted ${("deleted" in answer ? answer.deleted : 0).toLocaleString()} captures.`);
      onDeleted();
    }
  }, errorMessage);

  const close = useCallback(() => {
    setCounted(null);
    setJobId(null);
    setResult(null);
    remove.reset();
  }, [remove.reset]);

  const running = jobId !== null && (!job || !FINAL.has(job.state));
  const total = job?.total ?? count ?? 0;
  const percent = total > 0 && job ? Math.min(100, Math.round((job.done / total) * 100)) : 0;
  return (
    <>
      <button type="button" className={BUTTON} disabled={!query.trim() || dryRun.busy} onClick={() => void dryRun.run()}>
        {dryRun.busy ? "Counting…" : "Delete matching"}
      </button>
      <FormError error={dryRun.error} className="text-xs text-rose-600 dark:text-rose-400" />
      <Dialog
        open={count !== null}
        onClose={close}
        title={result ? "Deleted" : `Delete ${counted ? describeCount(counted, ["matching capture", "matching captures"]) : ""}?`}
        description={
          <p>
            Every capture matching <code className="break-all font-mono text-xs">{query}</code> is deleted for good
            {counted ? ` (${describeCount(counted, ["capture", "captures"])} now)` : ""}. Captures that arrive after you confirm are kept.
          </p>
        }
      >
        {jobId ? (
          <div className="space-y-1">
            <div
              role="progressbar"
              aria-label="Delete progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
            >
              <div className="h-full bg-rose-600 transition-[width]" style={{ width: `${percent}%` }} />
            </div>
            <p className="text-xs text-zinc-500">
              {job ? `${job.done.toLocaleString()} of ${total.toLocaleString()} deleted (${job.state})` : "Starting…"}
            </p>
          </div>
        ) : null}
        {result ? (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {result}
          </p>
        ) : null}
        <FormError error={remove.error} className="text-sm text-rose-600 dark:text-rose-400" />
        <div className="flex justify-end gap-2">
          <button type="button" className={BUTTON} onClick={close} disabled={remove.busy} data-autofocus>
            {result ? "Close" : "Cancel"}
          </button>
          {result ? null : (
            <button type="button" className={DANGER} onClick={() => void remove.run()} disabled={remove.busy || running || count === 0}>
              {remove.busy || running ? "Deleting…" : `Delete ${count?.toLocaleString() ?? ""} captures`}
            </button>
          )}
        </div>
      </Dialog>
    </>
  );
}
