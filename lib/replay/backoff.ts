// When to try a delivery again: exponential backoff with jitter, a bounded number of attempts,
// and the target's Retry-After honoured (within the cap). Pure: the caller owns the clock and
// the timers, so forwarding and the relay CLI can share it and tests need no fake timers.
import type { HeaderPairs } from "../model/capture";

export interface BackoffPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** Each retry waits `factor` times longer than the one before. */
  factor: number;
  maxDelayMs: number;
  /** "full": uniform in [0, d]; "equal": uniform in [d/2, d]; "none": d. */
  jitter: "full" | "equal" | "none";
}

/** Automatic forwarding: 6 attempts over about 10 minutes (5 s, 15 s, 45 s, 2¼ min, 6¾ min before jitter). */
export const FORWARD_BACKOFF: BackoffPolicy = { maxAttempts: 6, baseDelayMs: 5_000, factor: 3, maxDelayMs: 10 * 60_000, jitter: "equal" };

/** Reconnecting a stream: quick at first, then every 30 s at most, for ever. */
export const RECONNECT_BACKOFF: BackoffPolicy = {
  maxAttempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 500,
  factor: 2,
  maxDelayMs: 30_000,
  jitter: "equal",
};

/** The wait before retry number `retry` (1 = the first retry). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exp = policy.baseDelayMs * policy.factor ** Math.max(0, retry - 1);
  const d = Math.min(policy.maxDelayMs, Number.isFinite(exp) ? exp : policy.maxDelayMs);
  const r = Math.min(Math.max(random(), 0), 1);
  if (policy.jitter === "full") return Math.round(d * r);
  if (policy.jitter === "equal") return Math.round(d / 2 + (d / 2) * r);
  return Math.round(d);
}

/** Every wait of a policy, in order (maxAttempts - 1 of them). */
export function retrySchedule(policy: BackoffPolicy, random: () => number = Math.random): number[] {
  if (!Number.isFinite(policy.maxAttempts)) throw new RangeError("retrySchedule needs a finite maxAttempts");
  return Array.from({ length: Math.max(0, policy.maxAttempts - 1) }, (_, i) => backoffDelay(i + 1, policy, random));
}

/** Retry-After (seconds or an HTTP date) in milliseconds from `now`; null when absent or unreadable. */
export function retryAfterMs(headers: HeaderPairs, now: number = Date.now()): number | null {
  const value = headers.find(([n]) => n.toLowerCase() === "retry-after")?.[1]?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The outcome of one attempt, as sendRequest reports it. */
export interface AttemptOutcome {
  response: { status: number; headers: HeaderPairs } | null;
  error: { code: string } | null;
}

// Failures that another try cannot fix: the guard said no, or the request itself is wrong.
const FINAL_ERRORS = new Set([
  "target_forbidden",
  "invalid_target",
  "invalid_request",
  "invalid_redirect",
  "too_many_redirects",
  "aborted",
]);
const RETRY_STATUS = new Set([408, 425, 429]);

export function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.error === null && outcome.response !== null && outcome.response.status >= 200 && outcome.response.status < 300;
}

/** Network failures and 408/425/429/5xx are worth another try; other answers are final. */
export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.error) return !FINAL_ERRORS.has(outcome.error.code);
  const status = outcome.response?.status ?? 0;
  return RETRY_STATUS.has(status) || status >= 500;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: "succeeded" | "final" | "exhausted" };

/**
 * After attempt number `attempt` (1-based) ended with `outcome`: retry, and after how long? The
 * delay is the backoff or the target's Retry-After, whichever is longer, never above maxDelayMs.
 */
export function nextRetry(
  outcome: AttemptOutcome,
  attempt: number,
  policy: BackoffPolicy,
  { now = Date.now(), random = Math.random }: { now?: number; random?: () => number } = {},
): RetryDecision {
  if (isSuccess(outcome)) return { retry: false, reason: "succeeded" };
  if (!isRetryable(outcome)) return { retry: false, reason: "final" };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: "exhausted" };
  const backoff = backoffDelay(attempt, policy, random);
  const asked = outcome.response ? retryAfterMs(outcome.response.headers, now) : null;
  return { retry: true, delayMs: Math.min(policy.maxDelayMs, Math.max(backoff, asked ?? 0)) };
}
