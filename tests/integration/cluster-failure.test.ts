// Cluster mode under failure (issue 17), real instances on one PostgreSQL database:
// 1. kill -9 of one of three instances while 200 senders post to all three: every capture any
//    instance acknowledged (2xx) is stored, and live streams that were on the dead instance resume
//    on another with Last-Event-ID and see exactly the stored captures, in order, none twice;
// 2. a private redis-server stopped and started while captures flow into A and a stream is open on
//    B: nothing acknowledged is lost, B's stream keeps up from the database and recovers its
//    pub/sub, and what the instances answer in between (README "Several instances") is asserted.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterUnavailable, followStream, privateRedis, SHARED_REDIS_URL } from "../helpers/cluster";
import { freePort } from "../helpers/ports";
import { Api, startServer, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

const skip = await clusterUnavailable();
const SECRET = "cluster-failure-secret-cluster-failure-secret-0123";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every capture of the endpoint, in seq order, read from the database itself. */
async function storedCaptures(databaseUrl: string, endpointId: string) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; path: string; seq: number }>(
      `SELECT "id", "path", "seq" FROM "Capture" WHERE "endpointId" = $1 ORDER BY "seq"`,
      [endpointId],
    );
    return rows;
  } finally {
    await db.end();
  }
}

interface Ack {
  id: string;
  path: string;
  by: string;
  /** When the acknowledgement arrived. */
  at?: number;
}

/** POSTs a capture whose path is its unique marker; answers the ack, or null (refused, failed). */
async function send(base: string, token: string, marker: string): Promise<{ status: number; id?: string }> {
  try {
    const res = await fetch(`${base}/in/${token}/${marker}`, { method: "POST", body: marker, signal: AbortSignal.timeout(10_000) });
    if (res.status >= 200 && res.status < 300) return { status: res.status, id: ((await res.json()) as { captureId: string }).captureId };
    await res.arrayBuffer();
    return { status: res.status };
  } catch {
    return { status: 0 };
  }
}

describe.skipIf(skip !== null)("cluster mode under failure", () => {
  describe("kill -9 of one of three instances under 200 concurrent senders", () => {
    let a: TestServer;
    let b: TestServer;
    let c: TestServer;
    beforeAll(async () => {
      const env = { REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: `hs-test-${randomUUID().slice(0, 8)}:`, SECRET };
      a = await startServer({ provider: "postgresql", env });
      [b, c] = await Promise.all([
        startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env }),
        startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env }),
      ]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all([b?.stop(), c?.stop()]);
      await a?.stop(); // owns the database (dead already; stop() drops it)
    });

    it("every acknowledged capture is stored; streams of the dead instance resume elsewhere with no gap", async () => {
      const user = new Api(b.url);
      await user.signUp("kill9@example.test");
      const ep = await user.createEndpoint({ name: "kill-9" });
      const streamPath = `/api/endpoints/${ep.id}/stream`;
      const alive = new Set([a, b, c]);
      const bases = () => [...alive].map((s) => s.url);
      // Three streams open on A (the one that dies), one on B (a control that never reconnects).
      const onA = [0, 1, 2].map(() => followStream(bases, streamPath, { cookie: user.cookie }));
      const onB = followStream(() => [b.url], streamPath, { cookie: user.cookie });
      for (const f of [...onA, onB]) await f.until(() => f.readyCount === 1, 10_000, "the first ready");
      expect(onA.every((f) => f.connections[0]!.base === a.url)).toBe(true);

      // Each instance takes a first capture (warm code paths), then the load: 200 senders, round robin
      // over the live instances; A is killed once it has acknowledged 100 of them under load (at least
      // 1 s in), and the senders go on for 2.5 s after the kill (at most 15 s in all).
      const acks: Ack[] = [];
      for (const [s, by] of [
        [a, "a"],
        [b, "b"],
        [c, "c"],
      ] as const) {
        const warm = await send(s.url, ep.token, `warm-up-${by}`);
        expect(warm.status).toBe(200);
        acks.push({ id: warm.id!, path: `/warm-up-${by}`, by });
      }
      const statuses = new Map<number, number>();
      const SENDERS = 200;
      const AFTER_KILL_MS = 2500;
      const started = Date.now();
      let killedAt = 0;
      const running = () => Date.now() - started < 15_000 && (killedAt === 0 || Date.now() - killedAt < AFTER_KILL_MS);
      const sender = async (n: number) => {
        for (let i = 0; running(); i++) {
          const list = [...alive];
          const target = list[(n + i) % list.length]!;
          const marker = `k-${n}-${i}`;
          const r = await send(target.url, ep.token, marker);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.id) acks.push({ id: r.id, path: `/${marker}`, by: target === a ? "a" : target === b ? "b" : "c", at: Date.now() });
          else if (r.status === 0) await sleep(20); // refused connection: the instance is gone
        }
      };
      const killer = (async () => {
        while (Date.now() - started < 1000 || (acks.filter((x) => x.by === "a").length < 100 && Date.now() - started < 10_000)) {
          await sleep(20);
        }
        a.child.kill("SIGKILL");
        killedAt = Date.now();
        alive.delete(a);
      })();
      await Promise.all([killer, ...Array.from({ length: SENDERS }, (_, n) => sender(n))]);
      await new Promise((r) => (a.child.exitCode !== null || a.child.signalCode !== null ? r(null) : a.child.once("exit", r)));
      console.info(
        `kill -9 at ${killedAt - started} ms; answers by status: ${JSON.stringify(Object.fromEntries(statuses))}; ` +
          `acknowledged by A ${acks.filter((x) => x.by === "a").length}, B ${acks.filter((x) => x.by === "b").length}, C ${acks.filter((x) => x.by === "c").length}`,
      );
      // The load was real on every instance, A included, before and after the kill.
      expect(acks.filter((x) => x.by === "a").length).toBeGreaterThanOrEqual(100);
      expect(acks.filter((x) => x.by !== "a" && (x.at ?? 0) > killedAt).length).toBeGreaterThan(100);

      const stored = await storedCaptures(b.databaseUrl!, ep.id);
      const storedIds = new Set(stored.map((x) => x.id));
      // Every acknowledged capture is stored, with the marker it was sent with.
      const lost = acks.filter((x) => !storedIds.has(x.id));
      expect(lost).toEqual([]);
      const byId = new Map(stored.map((x) => [x.id, x]));
      expect(acks.every((x) => byId.get(x.id)!.path === x.path)).toBe(true);
      // Stored but never acknowledged: A's commits whose answer died with it (the streams must show them too).
      console.info(`stored ${stored.length}, acknowledged ${acks.length}, stored without an ack ${stored.length - acks.length}`);

      // Every stream ends up with exactly the stored captures, in seq order, none twice.
      const expected = stored.map((x) => x.id);
      for (const f of [...onA, onB]) {
        await f.until(() => f.captures.length >= expected.length, 20_000, "the stream to catch up");
        await sleep(300); // nothing more (a duplicate) arrives
        expect(f.captures.map((x) => x.id)).toEqual(expected);
      }
      for (const f of onA) {
        // It reconnected to B or C, resuming from the last seq it had seen on A.
        expect(f.connections.length).toBeGreaterThanOrEqual(2);
        const resumed = f.connections[1]!;
        expect([b.url, c.url]).toContain(resumed.base);
        expect(resumed.status).toBe(200);
        expect(resumed.lastEventId).not.toBeNull();
      }
      expect(onB.connections).toHaveLength(1);
      await Promise.all([...onA, onB].map((f) => f.stop()));
    }, 90_000);
  });

  describe("a private Redis stopped and started mid-stream (captures into A, a stream on B)", () => {
    let a: TestServer;
    let b: TestServer;
    let redis: ReturnType<typeof privateRedis>;
    beforeAll(async () => {
      redis = privateRedis(await freePort());
      await redis.start();
      const env = { REDIS_URL: redis.url, REDIS_PREFIX: "hs-failure:", SECRET };
      a = await startServer({ provider: "postgresql", env });
      b = await startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env });
    }, 120_000);
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
      await redis?.stop();
    });

    const subscriberEvents = (s: TestServer, pattern: RegExp) => s.logs.join("").match(pattern)?.length ?? 0;
    const lost = /"role":"subscriber"[^\n]*redis connection lost/g;
    const reconnected = /"role":"subscriber","reconnected":true[^\n]*redis connected/g;

    it("loses no acknowledged capture, keeps B's stream current from the database, answers as documented, recovers", async () => {
      const user = new Api(a.url);
      await user.signUp("redis-down@example.test");
      const ep = await user.createEndpoint({ name: "redis-restart" });
      const onB = new Api(b.url);
      onB.cookie = user.cookie;
      const follower = followStream(() => [b.url], `/api/endpoints/${ep.id}/stream`, { cookie: user.cookie });
      await follower.until(() => follower.readyCount === 1, 10_000, "ready");

      // Captures flow into A (four senders) for the whole test; each phase's answers are kept apart.
      type Phase = "up" | "down" | "back";
      let phase: Phase = "up";
      const acks: Ack[] = [];
      const statusesIn: Record<Phase, number[]> = { up: [], down: [], back: [] };
      let flowing = true;
      let count = 0;
      const flow = async (n: number) => {
        while (flowing) {
          const marker = `r-${n}-${count++}`;
          const during = phase;
          const r = await send(a.url, ep.token, marker);
          statusesIn[during].push(r.status);
          if (r.id) acks.push({ id: r.id, path: `/${marker}`, by: during });
          await sleep(20);
        }
      };
      const senders = Promise.all([0, 1, 2, 3].map(flow));
      const caughtUp = (within: number, what: string) => {
        const want = acks.map((x) => x.id);
        return follower.until(() => want.every((id) => follower.captures.some((x) => x.id === id)), within, what);
      };

      await sleep(800);
      await caughtUp(2000, "B's stream while Redis is up");

      // Redis goes away (the private server only).
      const lostBefore = [a, b].map((s) => subscriberEvents(s, lost));
      await redis.stop();
      phase = "down";
      for (let i = 0; i < 60 && [a, b].some((s, k) => subscriberEvents(s, lost) === lostBefore[k]); i++) await sleep(50);
      expect([a, b].map((s) => subscriberEvents(s, lost))).toEqual(lostBefore.map((n) => n + 1));

      // In between, as documented: /readyz 503 redis_unreachable (a load balancer takes the instance out),
      // /healthz 200, captures acknowledged after their commit, the API as usual (endpoint creation
      // counts per instance), live streams fed from the database, new streams open and replay.
      for (const s of [a, b]) {
        const ready = await fetch(`${s.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(ready.headers.get("retry-after")).toBe("5");
        const body = (await ready.json()) as { ready: boolean; reasons: { code: string }[] };
        expect(body.ready).toBe(false);
        expect(body.reasons.map((r) => r.code)).toEqual(["redis_unreachable"]);
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      }
      const direct = await send(b.url, ep.token, "sent-to-b-while-down");
      expect(direct.status).toBe(200);
      acks.push({ id: direct.id!, path: "/sent-to-b-while-down", by: "down" });
      expect((await onB.captures(ep.id, "?limit=5")).captures.length).toBe(5);
      expect((await onB.request("POST", "/api/endpoints", { name: "made-while-redis-down" })).status).toBe(201);
      const lateJoiner = openStream(`${b.url}/api/endpoints/${ep.id}/stream`, { cookie: user.cookie, "last-event-id": "0" });
      await lateJoiner.opened;
      expect(lateJoiner.status).toBe(200);
      await lateJoiner.until(() => lateJoiner.events.some((e) => e.event === "ready"), 5000);
      expect(lateJoiner.captures().length).toBeGreaterThan(0);
      lateJoiner.close();
      await sleep(1500);
      // The stream on B, with no pub/sub, still gets every acknowledged capture (read every 500 ms).
      await caughtUp(2000, "B's stream while Redis is down");

      // Redis is back (same port): both instances reconnect within about a second, B's stream hears of captures again.
      const backBefore = [a, b].map((s) => subscriberEvents(s, reconnected));
      await redis.start();
      phase = "back";
      const restartedAt = Date.now();
      for (let i = 0; i < 60 && [a, b].some((s, k) => subscriberEvents(s, reconnected) === backBefore[k]); i++) await sleep(50);
      expect([a, b].map((s) => subscriberEvents(s, reconnected))).toEqual(backBefore.map((n) => n + 1));
      console.info(`subscribers reconnected ${Date.now() - restartedAt} ms after redis-server was ready`);
      for (const s of [a, b]) expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      const sentAt = Date.now();
      const after = await send(a.url, ep.token, "after-redis-back");
      expect(after.status).toBe(200);
      acks.push({ id: after.id!, path: "/after-redis-back", by: "back" });
      await follower.until(() => follower.captures.some((x) => x.id === after.id), 1000, "a capture over pub/sub again");
      console.info(`capture on A → stream on B after the restart: ${Date.now() - sentAt} ms`);
      await sleep(500);
      flowing = false;
      await senders;

      // No refusal in any phase: capture does not depend on Redis.
      for (const p of ["up", "down", "back"] as const) {
        expect(statusesIn[p].length).toBeGreaterThan(0);
        expect(statusesIn[p].filter((x) => x !== 200)).toEqual([]);
      }
      const stored = await storedCaptures(a.databaseUrl!, ep.id);
      const storedIds = new Set(stored.map((x) => x.id));
      expect(acks.filter((x) => !storedIds.has(x.id))).toEqual([]);
      expect(stored).toHaveLength(acks.length);
      await follower.until(() => follower.captures.length >= stored.length, 5000, "the last captures");
      await sleep(300);
      expect(follower.captures.map((x) => x.id)).toEqual(stored.map((x) => x.id));
      expect(follower.connections).toHaveLength(1); // one stream throughout: it was never ended
      await follower.stop();
    }, 90_000);
  });
});
