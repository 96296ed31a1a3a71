"use client";
// A bulk delete's job while it runs: the progress bar, "N of M deleted", and Cancel (no confirmation:
// what is deleted stays deleted either way, cancelling only keeps the rest). The job stops after the
// batch in hand; the dialog shows the outcome when the stream's `end` arrives.
import { errorMessage } from "../inspector/api";
import { BUTTON } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { cancelJob, type JobView } from "./search-api";

interface Props {
  job: JobView | null;
  jobId: string;
  /** What the dry run counted, until the job knows its own total. */
  expected: number;
  /** The stream's `end` arrived. */
  ended: boolean;
}

export function JobProgress({ job, jobId, expected, ended }: Props) {
  const cancel = useMutation(() => cancelJob(jobId), errorMessage);
  const total = job?.total ?? expected;
  const percent = total > 0 && job ? Math.min(100, Math.round((job.done / total) * 100)) : 0;
  const cancelling = cancel.busy || job?.state === "cancelled";
  return (
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
      <div className="flex items-center gap-2">
        <p className="flex-1 text-xs text-zinc-500">
          {job ? `${job.done.toLocaleString()} of ${total.toLocaleString()} deleted (${job.state})` : "Starting…"}
        </p>
        {ended ? null : (
          <button type="button" className={BUTTON} disabled={cancelling} onClick={() => void cancel.run()}>
            {cancelling ? "Cancelling…" : "Cancel delete"}
          </button>
        )}
      </div>
      <FormError error={cancel.error} className="text-xs text-rose-600 dark:text-rose-400" />
    </div>
  );
}
