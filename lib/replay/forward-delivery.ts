// One try of a claimed forwarding job (forwarder.ts runs them): the stored capture goes out
// byte-exact through the guarded egress client; the result is an Attempt and the job's next state.
import "../runtime/server-only";
import { db } from "../db/client";
import type { HeaderPairs } from "../model/capture";
import { outcomeOf, type NewAttempt } from "./attempts";
import { nextRetry, type BackoffPolicy } from "./backoff";
import type { DueJob, Finished, JobUpdate, RuleSnap } from "./forward-jobs";
import { egressLimits, guardPolicy } from "./policy";
import { sendRequest } from "./send";

/**
 * One try of `job` under `rule` (undefined: the rule was turned off). Null when cut short by
 * shutdown (`stopping()` true once the send is aborted): not a try, the job stays due.
 */
export async function deliverOnce(
  job: DueJob,
  rule: RuleSnap | undefined,
  opts: { signal: AbortSignal; backoff: BackoffPolicy; stopping: () => boolean },
): Promise<Finished | null> {
  if (!rule) return { jobId: job.id, attempt: null, update: { state: "failed", lastError: "cancelled: forwarding was turned off" } };
  const capture = await db().capture.findUnique({
    where: { id: job.captureId },
    select: { method: true, headers: true, body: true, rejected: true },
  });
  if (!capture || capture.rejected)
    return { jobId: job.id, attempt: null, update: { state: "failed", lastError: "cancelled: the capture no longer exists" } };

  const attemptNo = job.attempts + 1;
  const policy = guardPolicy();
  const result = await sendRequest({
    url: job.url,
    method: capture.method,
    headers: JSON.parse(capture.headers) as HeaderPairs,
    body: capture.body,
    allowedSubnets: policy.allowedSubnets,
    followRedirects: rule.followRedirects,
    ...egressLimits(),
    signal: opts.signal,
  });
  if (opts.signal.aborted && opts.stopping()) return null;

  const attempt: NewAttempt = {
    captureId: job.captureId,
    endpointId: job.endpointId,
    kind: "forward",
    attemptNo,
    actorLabel: "forwarding rule",
    ...outcomeOf(result, capture.body),
  };
  const decision = nextRetry({ response: result.response, error: result.error }, attemptNo, {
    ...opts.backoff,
    maxAttempts: rule.maxAttempts,
  });
  const failedStatus =
    result.response && (result.response.status < 200 || result.response.status >= 300) ? `status ${result.response.status}` : null;
  const lastError = result.error ? result.error.code : failedStatus;
  const update: JobUpdate = decision.retry
    ? { state: "pending", attempts: attemptNo, nextAt: new Date(Date.now() + decision.delayMs), lastError }
    : { state: decision.reason === "succeeded" ? "delivered" : "failed", attempts: attemptNo, lastError };
  return { jobId: job.id, attempt, update };
}
