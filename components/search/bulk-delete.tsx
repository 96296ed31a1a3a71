"use client";
// "Delete matching": deletes the captures the current query matches. A dry run counts them first
// and the confirmation names that count and the query; a large delete runs as a job on the server,
// followed here with its progress stream (components/search/job-progress.tsx: the bar and Cancel);
// the list refreshes when it ends, done or cancelled.
import { useCallback, useState } from "react";
import { errorMessage } from "../inspector/api";
import { Dialog } from "../ui/dialog";
import { BUTTON, DANGER } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { JobProgress } from "./job-progress";
import { deleteByQuery, describeCount, type JobView, type MatchCount } from "./search-api";
import { useJobProgress } from "./use-job-progress";

/** What the dialog says when a delete job ended. */
export function jobOutcome(job: JobView): string {
  const n = job.done.toLocaleString();
  if (job.state === "done") return `Deleted ${n} captures.`;
  if (job.state === "cancelled") return `Cancelled after ${n} deleted.`;
  return `The delete failed after ${n} deleted.`;
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
      setResult(jobOutcome(job));
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

  const running = jobId !== null && result === null;
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
        {jobId ? <JobProgress job={job} jobId={jobId} expected={count ?? 0} ended={!running} /> : null}
        {result ? (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {result}
          </p>
        ) : null}
        <FormError error={remove.error} className="text-sm text-rose-600 dark:text-rose-400" />
        <div className="flex justify-end gap-2">
          {running ? null : (
            <button type="button" className={BUTTON} onClick={close} disabled={remove.busy} data-autofocus>
              {result ? "Close" : "Cancel"}
            </button>
          )}
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
