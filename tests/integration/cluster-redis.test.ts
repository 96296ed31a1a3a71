// The Redis pieces of cluster mode against the real Redis: the shared endpoint-creation GCRA
// (lib/cluster/rate-limit.ts) is atomic under concurrent callers, and the once-per-period turn
// (lib/cluster/lock.ts) runs the work on one caller only, renews while it runs, and passes on once
// the period is over. Keys carry a prefix of their own per run.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { takeTurn } from "@/lib/cluster/lock";
import { takeSharedCreation } from "@/lib/cluster/rate-limit";
import { reconnectDelay } from "@/lib/cluster/redis";

const URL = "redis://127.0.0.1:6379/0";

async function redisUnavailable(): Promise<string | null> {
  const probe = new Redis(URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    probe.disconnect();
  }
}

const why = await redisUnavailable();
if (why && process.env.CI) throw new Error(`Redis at ${URL} is not reachable: ${why} (CI must run the Redis tests)`);
if (why) console.warn(`skipping Redis tests: ${why}`);

describe.skipIf(why !== null)("cluster Redis pieces", () => {
  const redis = new Redis(URL);
  const prefix = `hs-test-${randomUUID().slice(0, 8)}:`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("the shared GCRA allows a burst of `limit`, then the seconds to wait, counted once across concurrent callers", async () => {
    const limit = { limit: 10, windowMs: 60_000 };
    // 50 callers at once (as if from five instances): exactly 10 get through.
    const answers = await Promise.all(Array.from({ length: 50 }, () => takeSharedCreation(redis, prefix, "10.0.0.1", limit)));
    expect(answers.filter((a) => a === 0)).toHaveLength(10);
    const waits = answers.filter((a) => a !== 0) as number[];
    expect(waits.every((w) => w >= 1 && w <= 6)).toBe(true);
    // Another address has its own allowance; the key expires when the allowance is whole again.
    expect(await takeSharedCreation(redis, prefix, "10.0.0.2", limit)).toBe(0);
    const ttl = await redis.pttl(`${prefix}rl:endpoint-create:10.0.0.1`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("a closed connection answers null (the caller falls back to its own count)", async () => {
    const closed = new Redis(URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    expect(await takeSharedCreation(closed, prefix, "10.0.0.3", { limit: 1, windowMs: 1000 })).toBeNull();
    closed.disconnect();
  });

  it("a turn runs on one caller per period, renews while the work outlasts it, then passes on", async () => {
    const key = `${prefix}lock:sweeper`;
    let runs = 0;
    const work = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 700)); // longer than the period: renewed meanwhile
    };
    const outcomes = await Promise.all([takeTurn(redis, key, 300, work), takeTurn(redis, key, 300, work), takeTurn(redis, key, 300, work)]);
    expect(outcomes.filter((o) => o === "ran")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "skipped")).toHaveLength(2);
    expect(runs).toBe(1);
    // Right after the work the key still holds the rest of its period: nobody runs again at once.
    expect(await takeTurn(redis, key, 300, work)).toBe("skipped");
    await new Promise((r) => setTimeout(r, 400));
    expect(await takeTurn(redis, key, 300, async () => {})).toBe("ran");
  });

  it("reconnects quickly and never slower than once a second", () => {
    expect([1, 2, 10, 20, 1000].map(reconnectDelay)).toEqual([50, 100, 500, 1000, 1000]);
  });
});
