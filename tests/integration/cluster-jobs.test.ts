// Cluster mode (issue 17), bulk jobs and the forwarding catch-up across instances: two instances on one PostgreSQL
// and one Redis. A large clear (a Job deleting in slow batches: PURGE_BATCH_ROWS, PURGE_PAUSE_MS) runs on one
// instance under a lease (JOB_LEASE_MS); the other, restarted meanwhile, leaves it alone (one runner: progress only
// grows, one audit entry, the right final count); kill -9 of the runner leaves the job to the other once the lease
// has ended, and it finishes it; a SIGTERM of the runner releases the job to the other at once. The periodic forwarding catch-up (FORWARD_CATCHUP_MS, one instance per period)
// delivers a capture whose job row was never written, without any restart.
import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterUnavailable, SHARED_REDIS_URL } from "../helpers/cluster";
import { openSeedDb, type SeedDb } from "../helpers/seed";
import { Api, createPgDatabase, startServer, type TestServer } from "../helpers/server";

const skip = await clusterUnavailable();

const LEASE_MS = 3000;
const ROWS = 3000;
const BATCH = 50;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (s: TestServer) => s.child.exitCode === null && s.child.signalCode === null;

interface JobSnap {
  state: string;
  done: number;
  total: number | null;
  owner: string | null;
  leaseUntil: Date | null;
}

describe.skipIf(skip !== null)("cluster mode: bulk jobs under a lease, and the periodic forwarding catch-up", () => {
  const servers: TestServer[] = [];
  let env: Record<string, string>;
  let db: pg.Client;
  let seed: SeedDb;
  let user: Api;
  let ws: string;
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let databaseUrl: string;

  const start = async () => {
    const s = await startServer({ provider: "postgresql", databaseUrl, env });
    servers.push(s);
    return s;
  };
  const on = (s: TestServer) => {
    const api = new Api(s.url);
    api.cookie = user.cookie;
    return api;
  };
  const job = async (id: string) =>
    (await db.query<JobSnap>(`SELECT "state", "done", "total", "owner", "leaseUntil" FROM "Job" WHERE "id" = $1`, [id])).rows[0]!;
  const capturesOf = async (endpointId: string) =>
    Number((await db.query(`SELECT COUNT(*) AS n FROM "Capture" WHERE "endpointId" = $1`, [endpointId])).rows[0].n);
  const finishAudits = async (id: string) =>
    Number((await db.query(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'job.finish' AND "targetId" = $1`, [id])).rows[0].n);
  /** The instance whose log says it started (or resumed) the job. */
  const logged = (s: TestServer, id: string, what: "job started" | "job resumed") =>
    s.logs
      .join("")
      .split("\n")
      .some((l) => l.includes(`"job":"${id}"`) && l.includes(what));
  /** A large endpoint cleared as a job from `s`: its id, the job's id and the instance running it. */
  const bigClear = async (s: TestServer, tag: string) => {
    const ep = await on(s).createEndpoint({ workspaceId: ws, name: tag });
    await seed.captures(ep.id, ROWS, tag);
    const res = await on(s).json("DELETE", `/api/endpoints/${ep.id}/captures`);
    expect(res.status).toBe(202);
    const id = res.body.job.id as string;
    const runner = await until("the job's runner", () => servers.find((x) => alive(x) && logged(x, id, "job started")));
    return { endpointId: ep.id as string, id, runner };
  };

  beforeAll(async () => {
    env = {
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: `hs-test-${randomUUID().slice(0, 8)}:`,
      SECRET: "cluster-test-secret-cluster-test-secret-0123456789",
      ALLOWED_FORWARD_SUBNETS: "127.0.0.0/8",
      CLEAR_JOB_THRESHOLD: "100",
      // About 60 batches of 50 with 100 ms between them: a job of several seconds.
      PURGE_BATCH_ROWS: String(BATCH),
      PURGE_PAUSE_MS: "100",
      JOB_LEASE_MS: String(LEASE_MS),
      FORWARD_CATCHUP_MS: "1500",
    };
    // The database is the test's own: any instance may be stopped or killed.
    database = await createPgDatabase();
    databaseUrl = database.url;
    const a = await start();
    await start();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    seed = await openSeedDb(a);
    user = new Api(a.url);
    await user.signUp("cluster-jobs@example.test");
    ws = (await user.json("POST", "/api/workspaces", { name: "Jobs" })).body.id;
  }, 180_000);

  afterAll(async () => {
    await seed?.close();
    await db?.end();
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop().catch(() => {});
  });

  it("a job running on one instance is not taken by the other restarting meanwhile: one runner to the end", async () => {
    const { endpointId, id, runner } = await bigClear(servers[0]!, "lease-restart");
    const other = servers.find((s) => s !== runner && alive(s))!;
    const first = await until("the first batch", async () => {
      const j = await job(id);
      return j.state === "running" && j.done > 0 && j;
    });
    const seen: JobSnap[] = [first];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.push(await job(id));
        await new Promise((r) => setTimeout(r, 30));
      }
    })();
    // A rolling restart of the other instance while the job runs: it starts, finds the job running under a live
    // lease, and leaves it.
    await other.stop();
    const restarted = await start();
    const end = await until("the job's end", async () => {
      const j = await job(id);
      return j.state !== "running" && j;
    });
    watching = false;
    await watcher;
    // It was still running when the restarted instance was up (else the test proved nothing).
    expect(seen.some((j) => j.state === "running" && j.done < ROWS)).toBe(true);
    const dones = seen.map((j) => j.done);
    expect(dones).toEqual([...dones].sort((x, y) => x - y));
    expect(end).toMatchObject({ state: "done", done: ROWS, total: ROWS, leaseUntil: null });
    expect(await capturesOf(endpointId)).toBe(0);
    // The audit entry follows the final write: wait for it, then for a second one that must not come.
    await until("the job's audit entry", async () => (await finishAudits(id)) > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await finishAudits(id)).toBe(1);
    expect(logged(restarted, id, "job started") || logged(restarted, id, "job resumed")).toBe(false);
    // One owner from the first batch to the end.
    expect(new Set(seen.map((j) => j.owner)).size).toBe(1);
    expect(first.owner).not.toBeNull();
  }, 120_000);

  it("kill -9 of the runner: the other instance resumes the job after the lease and finishes it", async () => {
    const { endpointId, id, runner } = await bigClear(servers.find(alive)!, "lease-kill");
    const survivor = servers.find((s) => s !== runner && alive(s))!;
    await until("a few batches", async () => (await job(id)).done >= 5 * BATCH);
    runner.child.kill("SIGKILL");
    await new Promise((r) => runner.child.once("exit", r));
    const killedAt = Date.now();
    const atKill = await job(id);
    expect(atKill.state).toBe("running");
    expect(atKill.done).toBeLessThan(ROWS);
    // Within the lease nobody takes it: it stays where the dead runner left it.
    await new Promise((r) => setTimeout(r, LEASE_MS / 3));
    const held = await job(id);
    expect(held).toMatchObject({ state: "running", done: atKill.done, owner: atKill.owner });
    await until("the survivor resumes it", () => logged(survivor, id, "job resumed"), LEASE_MS + 10_000);
    const resumedAfter = Date.now() - killedAt;
    // The lease the dead runner last renewed (at most a third of it before the kill) had to end first.
    expect(resumedAfter).toBeGreaterThanOrEqual((LEASE_MS * 2) / 3 - 200);
    const end = await until("the job's end", async () => {
      const j = await job(id);
      return j.state !== "running" && j;
    });
    expect(end.state).toBe("done");
    expect(end.owner).not.toBe(atKill.owner);
    // Its count carried on from the stored figure: a batch committed just before the kill without its progress
    // write is not counted, so the total is the stored figure plus what was left.
    expect(end.done).toBe(end.total);
    expect(end.done).toBeGreaterThan(ROWS - 200 - 1);
    expect(end.done).toBeLessThanOrEqual(ROWS);
    expect(await capturesOf(endpointId)).toBe(0);
    // The audit entry follows the final write: wait for it, then for a second one that must not come.
    await until("the job's audit entry", async () => (await finishAudits(id)) > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await finishAudits(id)).toBe(1);
  }, 120_000);

  it("SIGTERM of the runner (its own rolling restart) releases the job: the other instance finishes it", async () => {
    // Two live instances (the kill above left one).
    while (servers.filter(alive).length < 2) await start();
    const { endpointId, id, runner } = await bigClear(servers.find(alive)!, "lease-term");
    const survivor = servers.find((s) => s !== runner && alive(s))!;
    await until("a few batches", async () => (await job(id)).done >= 5 * BATCH);
    const before = await job(id);
    await runner.stop();
    expect(runner.logs.join("")).toContain("jobs released for another runner");
    await until("the survivor resumes it", () => logged(survivor, id, "job resumed"), LEASE_MS + 10_000);
    const end = await until("the job's end", async () => {
      const j = await job(id);
      return j.state !== "running" && j;
    });
    expect(end.state).toBe("done");
    expect(end.owner).not.toBe(before.owner);
    expect(end.done).toBe(end.total);
    expect(end.done).toBeGreaterThanOrEqual(before.done);
    expect(await capturesOf(endpointId)).toBe(0);
    await until("the job's audit entry", async () => (await finishAudits(id)) > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await finishAudits(id)).toBe(1);
    // Another instance again, for what follows.
    await start();
  }, 120_000);

  it("the periodic catch-up forwards a capture whose job was never written, with no restart", async () => {
    const received: string[] = [];
    const target = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received.push(req.url ?? "");
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    try {
      const live = servers.filter(alive);
      expect(live.length).toBeGreaterThanOrEqual(1);
      // A second live instance, so the catch-up has two candidates and runs on one of them per period.
      if (live.length < 2) live.push(await start());
      const ep = await on(live[0]!).createEndpoint({ workspaceId: ws, name: "catch-up" });
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/late`;
      expect((await on(live[1]!).json("PUT", `/api/endpoints/${ep.id}/forward`, { url, enabled: true, maxAttempts: 3 })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      // Committed by an instance that died before writing its job: after both instances started.
      const capture = `cap_${randomUUID()}`;
      await db.query(
        `INSERT INTO "Capture" ("id", "endpointId", "receivedAt", "method", "path", "query", "httpVersion", "headers", "body",
           "bodySize", "bodySha256", "contentType", "remoteAddr", "rejected", "responseStatus", "durationMs")
         VALUES ($1, $2, $3, 'POST', '/orphan', '', '1.1', '[]', ''::bytea, 0, $4, NULL, '127.0.0.1', NULL, 200, 0)`,
        [capture, ep.id, Date.now(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      );
      const inserted = Date.now();
      await until("the orphan's delivery", () => received.includes("/late/orphan"), 15_000);
      console.log(`catch-up delivered the orphan ${Date.now() - inserted} ms after its insert (FORWARD_CATCHUP_MS=1500)`);
      // Two more periods: it is not sent again, and it has exactly one job.
      await new Promise((r) => setTimeout(r, 3500));
      expect(received.filter((p) => p === "/late/orphan")).toHaveLength(1);
      const jobs = await db.query(`SELECT "state" FROM "ForwardJob" WHERE "captureId" = $1`, [capture]);
      expect(jobs.rows).toEqual([{ state: "delivered" }]);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
    }
  }, 60_000);
});
