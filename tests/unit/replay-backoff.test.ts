import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  FORWARD_BACKOFF,
  isRetryable,
  nextRetry,
  retryAfterMs,
  retrySchedule,
  type BackoffPolicy,
} from "@/lib/replay/backoff";

const policy: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 5000, jitter: "none" };

describe("backoff delays", () => {
  it("grow exponentially up to the cap", () => {
    expect(retrySchedule(policy)).toEqual([1000, 2000, 4000, 5000]);
  });

  it("equal jitter stays within [d/2, d]; full jitter within [0, d]", () => {
    const equal = { ...policy, jitter: "equal" as const };
    const full = { ...policy, jitter: "full" as const };
    expect(backoffDelay(3, equal, () => 0)).toBe(2000);
    expect(backoffDelay(3, equal, () => 1)).toBe(4000);
    expect(backoffDelay(3, full, () => 0)).toBe(0);
    expect(backoffDelay(3, full, () => 0.5)).toBe(2000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(2, equal);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });

  it("the default forwarding schedule is bounded (6 attempts, about 10 minutes)", () => {
    const max = retrySchedule(FORWARD_BACKOFF, () => 1);
    expect(max).toEqual([5000, 15_000, 45_000, 135_000, 405_000]);
    const min = retrySchedule(FORWARD_BACKOFF, () => 0);
    expect(min.reduce((a, b) => a + b, 0)).toBeGreaterThan(60_000);
  });

  it("huge retry numbers stay at the cap", () => {
    expect(backoffDelay(10_000, policy)).toBe(5000);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["120", 120_000],
    ["0", 0],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
    ["Wed, 31 Dec 2025 00:00:00 GMT", 0],
    ["soon", null],
  ])("%j → %s ms", (value, ms) => {
    expect(retryAfterMs([["Retry-After", value]], now)).toBe(ms);
  });
  it("absent → null", () => expect(retryAfterMs([], now)).toBeNull());
});

describe("retry decisions", () => {
  const res = (status: number, headers: [string, string][] = []) => ({ response: { status, headers }, error: null });
  const err = (code: string) => ({ response: null, error: { code } });

  it.each([
    [res(500), true],
    [res(502), true],
    [res(503), true],
    [res(429), true],
    [res(408), true],
    [res(400), false],
    [res(404), false],
    [res(410), false],
    [res(301), false],
    [err("connection_refused"), true],
    [err("timeout"), true],
    [err("connect_timeout"), true],
    [err("dns_failed"), true],
    [err("connection_reset"), true],
    [err("target_forbidden"), false],
    [err("invalid_target"), false],
    [err("invalid_request"), false],
    [err("too_many_redirects"), false],
    [err("aborted"), false],
  ])("%j retryable: %s", (outcome, expected) => {
    expect(isRetryable(outcome)).toBe(expected);
  });

  it("success stops; failures retry until maxAttempts", () => {
    expect(nextRetry(res(204), 1, policy)).toEqual({ retry: false, reason: "succeeded" });
    expect(nextRetry(res(404), 1, policy)).toEqual({ retry: false, reason: "final" });
    expect(nextRetry(res(500), 1, policy)).toEqual({ retry: true, delayMs: 1000 });
    expect(nextRetry(res(500), 4, policy)).toEqual({ retry: true, delayMs: 5000 });
    expect(nextRetry(res(500), 5, policy)).toEqual({ retry: false, reason: "exhausted" });
  });

  it("Retry-After lengthens the wait, within the cap", () => {
    expect(nextRetry(res(503, [["Retry-After", "3"]]), 1, policy)).toEqual({ retry: true, delayMs: 3000 });
    expect(nextRetry(res(429, [["retry-after", "3600"]]), 1, policy)).toEqual({ retry: true, delayMs: 5000 });
    expect(nextRetry(res(503, [["Retry-After", "0"]]), 2, policy)).toEqual({ retry: true, delayMs: 2000 });
  });
});
