// "Once per period across the cluster": a Redis key taken with SET NX PX. The instance that takes
// it runs the work; the key is not released when the work ends but left to expire at the end of the
// period, so no other instance runs the same work again within it. While the work runs longer than
// that, the holder renews the key (only while it still holds it: a compare-and-expire script), so a
// slow sweep is never joined by a second one. An instance that dies mid-work stops renewing, and
// its key expires within a period: another takes over.
import "../runtime/server-only";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { countRedisCommandError } from "./redis";

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export type TurnOutcome = "ran" | "skipped" | "ran-without-lock";

/**
 * Runs `work` if this instance takes the turn named `name` for `periodMs`. When Redis cannot
 * answer, the work runs here anyway ("ran-without-lock"): the jobs guarded this way (sweeps) are
 * idempotent, and skipping them on every instance while Redis is down would let expired data stay.
 */
export async function takeTurn(redis: Redis, key: string, periodMs: number, work: () => Promise<unknown>): Promise<TurnOutcome> {
  const me = randomUUID();
  let taken: string | null;
  try {
    taken = await redis.set(key, me, "PX", periodMs, "NX");
  } catch {
    countRedisCommandError();
    await work();
    return "ran-without-lock";
  }
  if (taken !== "OK") return "skipped";
  const renew = setInterval(
    () => void redis.eval(RENEW, 1, key, me, String(periodMs)).catch(() => {}),
    Math.max(100, Math.floor(periodMs / 3)),
  );
  try {
    await work();
  } finally {
    clearInterval(renew);
  }
  return "ran";
}
