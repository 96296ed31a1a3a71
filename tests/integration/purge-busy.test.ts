// A clear job whose batches find the SQLite write lock held longer than the app's busy timeout (50 ms: another
// process's transaction here; in production a large capture commit) waits and goes on: the job ends "done" with
// every row deleted, never "failed" part-way (a 300k-row clear failed with "Operation has timed out" before).
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, root, startServer, type TestServer } from "../helpers/server";
import { openSeedDb, type SeedDb } from "../helpers/seed";

const ROWS = 3000;

/** Holds the database's write lock (BEGIN IMMEDIATE) for `ms` in another process; resolves once it holds it. */
function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `const D=require("better-sqlite3");const d=new D(process.argv[1]);d.pragma("busy_timeout = 10000");d.exec("BEGIN IMMEDIATE");process.stdout.write("held\\n");Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,Number(process.argv[2]));d.exec("COMMIT");`;
  const child = spawn(process.execPath, ["-e", script, file, String(ms)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const released = new Promise<void>((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))),
  );
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("held") && resolve({ released }));
    child.once("error", reject);
  });
}

describe("a clear job across a write lock held past the busy timeout (sqlite)", () => {
  let server: TestServer;
  let seed: SeedDb;
  let api: Api;

  beforeAll(async () => {
    // Small batches with pauses, so the job is still running when the lock is taken.
    server = await startServer({ provider: "sqlite", env: { PURGE_BATCH_ROWS: "100", PURGE_PAUSE_MS: "20", CLEAR_JOB_THRESHOLD: "100" } });
    seed = await openSeedDb(server);
    api = new Api(server.url);
  }, 60_000);
  afterAll(async () => {
    await seed?.close();
    await server?.stop();
  });

  it("waits for the lock and finishes: done, every row deleted", async () => {
    const ep = await api.createEndpoint();
    await seed.captures(ep.id, ROWS, "busy");
    const res = await api.json("DELETE", `/api/endpoints/${ep.id}/captures`);
    expect(res.status).toBe(202);
    // Twice, each lock ten times the busy timeout, while the job's batches run.
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 150));
      const lock = await holdWriteLock(path.join(server.dataDir, "hookscope.db"), 500);
      await lock.released;
    }
    let job: { state: string; done: number; error?: string } = { state: "unknown", done: 0 };
    for (const until = Date.now() + 30_000; Date.now() < until; ) {
      job = (await api.json("GET", `/api/jobs/${res.body.job.id}`)).body.job;
      if (["done", "failed", "cancelled"].includes(job.state)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(job, `${JSON.stringify(job)}\n${server.logs.join("").slice(-3000)}`).toMatchObject({ state: "done", done: ROWS });
    expect(await seed.count(`SELECT COUNT(*) AS n FROM "Capture" WHERE "endpointId" = ?`, ep.id)).toBe(0);
  }, 60_000);
});
