// npm run bench:scale: issue 16's benchmark. Seeds N captures (default 1,000,000) into one endpoint
// of a real Hookscope server (production build, loopback port, fresh database), then measures over
// HTTP as the owner: the newest page, a deep page, the detail, 15 queries and their counts, database
// bytes per capture, and a delete of every row while another endpoint receives 500 captures/s.
// Writes bench/scale-results.json and prints each target of the issue as met / NOT MET.
// A benchmark, never part of `npm test`.
//
//   npm run bench:scale -- --n 20000 --provider sqlite|postgresql|both [--sample 3000] [--reps 30]
//   (or SCALE_N, SCALE_PROVIDER, SCALE_SAMPLE, SCALE_REPS, SCALE_PORT)
//
// Seeding: the bulk loader (bench/scale/loader.ts) writes rows exactly as the capture door stores
// them, by calling the write path's own functions, with the server STOPPED (it is started to
// create the owner and endpoints, stopped for the load, started again); then a sample of a few
// thousand captures goes through the real capture door (POST /in/<token>) so both paths are in the
// data. Rows are spread over the last 30 days; the door's sample is the newest.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Api, PG_ADMIN_URL, type Provider, root, startServer, type TestServer } from "../tests/helpers/server";
import { corpus } from "./scale/corpus";
import { bulkLoad, type LoadTarget } from "./scale/loader";
import { fixedRate, sendThroughDoor, summarize } from "./scale/load";
import { measureReads, targets } from "./scale/measure";
import { databaseSize, inspect } from "./scale/db";

const { values: args } = parseArgs({
  options: {
    n: { type: "string", default: process.env.SCALE_N ?? "1000000" },
    provider: { type: "string", default: process.env.SCALE_PROVIDER ?? "sqlite" },
    sample: { type: "string", default: process.env.SCALE_SAMPLE ?? "3000" },
    reps: { type: "string", default: process.env.SCALE_REPS ?? "30" },
    port: { type: "string", default: process.env.SCALE_PORT ?? "3470" },
    out: { type: "string", default: path.join(root, "bench/scale-results.json") },
  },
});
const N = Number(args.n);
const SAMPLE = Math.min(Number(args.sample), N);
const REPS = Number(args.reps);
const DAY = 86_400_000;
const PASSWORD = "scale bench password";

async function pgDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPg(name: string) {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

async function runProvider(provider: Provider, port: number) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `hookscope-scale-${provider}-`));
  const pgName = `hookscope_scale_${process.pid}`;
  const target: LoadTarget =
    provider === "sqlite" ? { provider, file: path.join(dataDir, "hookscope.db") } : { provider, databaseUrl: await pgDatabase(pgName) };
  const databaseUrl = target.file ? `file:${target.file}` : target.databaseUrl!;
  // DATA_DIR is ours (its secret.key keeps the owner's session valid across the restart).
  const start = () => startServer({ provider, databaseUrl, env: { DATA_DIR: dataDir, PORT: String(port) } });
  let server: TestServer | null = null;
  try {
    server = await start();
    const api = new Api(server.url);
    const email = `owner-${provider}@scale.bench`;
    await api.signUp(email, PASSWORD);
    const ep = await api.createEndpoint({ name: "scale" });
    const other = await api.createEndpoint({ name: "other" });
    await server.stop();
    server = null;

    const c = corpus(N);
    const now = Date.now();
    console.log(`[${provider}] bulk loading ${N - SAMPLE} captures (server stopped)…`);
    let shown = 0;
    const load = await bulkLoad(target, ep.id, c, {
      n: N - SAMPLE,
      fromMs: now - 30 * DAY,
      toMs: now - 60_000,
      onProgress: (done) => {
        if (done - shown >= 100_000) {
          shown = done;
          console.log(`  ${done} rows`);
        }
      },
    });
    console.log(`  ${load.rows} rows in ${load.ms} ms (${load.rowsPerSecond}/s), ${Math.round(load.bytes / 1e6)} MB of bodies`);

    server = await start();
    const signedIn = await api.signIn(email, PASSWORD);
    if (!signedIn.ok) throw new Error(`sign-in after restart: ${signedIn.error}`);
    console.log(`[${provider}] sending ${SAMPLE} captures through the capture door…`);
    const door = await sendThroughDoor(server.url, ep.token, c, SAMPLE);
    console.log(`  ${JSON.stringify(door)}`);

    const facts = await inspect(target, ep.id);
    const size = await databaseSize(target);
    console.log(`[${provider}] ${facts.count} captures; ${size.bytesPerCapture} bytes per capture; measuring reads…`);
    // inspect() and databaseSize() read the SQLite file synchronously (seconds at 1M rows), so this process's
    // event loop stood still meanwhile: the server closed our idle keep-alive connection (after 5 s) and the close
    // is not processed yet. Without a turn of the loop the next request is written on that dead socket and fails
    // with "other side closed" (the 1M run's first list request did, every time). A pause lets the close land.
    await new Promise((r) => setTimeout(r, 200));
    const reads = await measureReads(api, ep.id, {
      oldestSeq: facts.oldestSeq,
      detailIds: facts.sampleIds,
      userSpace: c.userSpace,
      deliveryId: facts.deliveryId,
      reps: REPS,
      queryReps: Math.max(5, Math.round(REPS / 2)),
      countReps: 3,
    });

    console.log(`[${provider}] deleting ${facts.count} captures while another endpoint receives 500 captures/s…`);
    const sender = fixedRate(server.url, other.token, 500);
    await new Promise((r) => setTimeout(r, 2000));
    const deleteFrom = performance.now();
    const del = await deleteAll(api, ep.id);
    const deleteTo = performance.now();
    const left = await inspect(target, ep.id);
    console.log(`  delete ${del.finished ? "finished" : "did NOT finish"} in ${del.ms} ms; ${left.count} captures left`);
    await new Promise((r) => setTimeout(r, 2000));
    const { answers, ...run } = await sender.stop();
    // The target is about the captures sent while the delete ran; the whole run (2 s either side) is kept beside it.
    const otherEndpoint = { ...run, duringDelete: summarize(answers, deleteFrom, deleteTo), wholeRun: summarize(answers) };
    console.log(`  delete: ${JSON.stringify(del)}; other endpoint: ${JSON.stringify(otherEndpoint)}`);
    return {
      provider,
      n: N,
      bulk: load,
      door,
      captures: facts.count,
      size,
      reads,
      delete: del,
      capturesLeftAfterDelete: left.count,
      otherEndpoint,
      targets: targets(reads, otherEndpoint.duringDelete, del),
    };
  } finally {
    await server?.stop();
    // A file reappearing while the directory is removed (a late WAL or -shm) must not lose the run's figures.
    try {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (err) {
      console.warn(`could not remove ${dataDir}: ${err instanceof Error ? err.message : err}`);
    }
    if (provider === "postgresql") await dropPg(pgName).catch(() => {});
  }
}

/**
 * DELETE /api/endpoints/:id/captures, following the job it returns (202, `{ job }`) until the job ends (done,
 * failed or cancelled; GET /api/jobs/:id answers `{ job }` too), so the other endpoint's captures are measured
 * over the whole delete. Gives up after `maxMs` (then `finished: false`).
 */
async function deleteAll(api: Api, endpointId: string, maxMs = 60 * 60_000) {
  const started = performance.now();
  const res = await api.request("DELETE", `/api/endpoints/${endpointId}/captures`);
  type Job = { id: string; state: string; total: number | null; done: number; error: string | null };
  const body = (await res.json().catch(() => null)) as { job?: Job } | null;
  let job: Job | null = body?.job ?? null;
  let polls = 0;
  while (res.status === 202 && job && !["done", "failed", "cancelled"].includes(job.state)) {
    if (performance.now() - started > maxMs) break;
    await new Promise((r) => setTimeout(r, 250));
    const j = await api.json("GET", `/api/jobs/${job.id}`);
    polls++;
    if (j.status !== 200) throw new Error(`GET /api/jobs/${job.id}: HTTP ${j.status}`);
    job = (j.body as { job: Job }).job;
    if (polls % 40 === 0) console.log(`  delete job ${job.state}: ${job.done}/${job.total ?? "?"}`);
  }
  const finished = res.status === 200 || job?.state === "done";
  return { status: res.status, job, finished, ms: Math.round(performance.now() - started) };
}

async function main() {
  const list: Provider[] = args.provider === "both" ? ["sqlite", "postgresql"] : [args.provider as Provider];
  if (!list.every((p) => p === "sqlite" || p === "postgresql")) throw new Error("--provider is sqlite, postgresql or both");
  const results = [];
  for (const [i, p] of list.entries()) results.push(await runProvider(p, Number(args.port) + i));
  const out = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${os.platform()} ${os.release()}`,
    n: N,
    sample: SAMPLE,
    results,
  };
  writeFileSync(args.out, `${JSON.stringify(out, null, 2)}\n`);
  for (const r of results) {
    console.log(`\n${r.provider}, N=${r.n.toLocaleString("en")} (${r.captures} stored), ${r.size.bytesPerCapture} bytes per capture`);
    for (const t of r.targets) console.log(`  ${t.met ? "met    " : "NOT MET"}  ${t.what}: ${t.measured} (target ${t.limit})`);
  }
  console.log(`\nwrote ${path.relative(process.cwd(), args.out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
