// npm run bench:cluster (issue 17): one instance vs two instances on PostgreSQL + Redis, the same load
// spread over both. Writes bench/cluster-results.json. Not part of the test suite.
//
// Both configurations run in cluster mode (REDIS_URL, a private redis-server started here, no
// persistence; PostgreSQL at TEST_PG_URL or 127.0.0.1:5432, a fresh database), the load spread at
// random over one endpoint (every commit of both instances then takes the same endpoint's row lock,
// docs/architecture.md "Several instances": the worst case) and over 8 (BENCH_ENDPOINTS="1,8"), and
// rounds alternate (1, 2, 1, 2…) because this machine's speed drifts. "One instance" is A alone
// (B is running but idle: no load, no stream). Per round and configuration:
// - saturation: wrk (C, one thread) with 64 connections in all for BENCH_SECONDS (one wrk of 64 on A,
//   or one of 32 on each of A and B): captures/s stored (rows counted in the database), p99 ack
//   (wrk's; with two wrks the worse of the two), and capture→SSE: a live stream (on A alone, else on
//   B, watching only the captures ingested on A: the other instance) notes when each event arrives,
//   minus the capture's receivedAt (the door's stamp when the request arrived; same clock);
// - fixed rate: the same at BENCH_FIXED_RATE captures/s in all (Poisson arrivals, split evenly),
//   where the latencies are not a queue's;
// - where the time goes: CPU seconds of each instance, of this database's PostgreSQL backends, of
//   Redis, of wrk and of this process (the SSE client), against the machine's total (the rest is
//   whatever else runs); each instance's mean commit time and rows per commit (its /metrics);
// - RSS per instance: idle (after start-up and a warm-up) and the peak sampled under load.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createParser } from "eventsource-parser";
import pg from "pg";
import { privateRedis } from "../tests/helpers/cluster";
import { freePort } from "../tests/helpers/ports";
import { Api, startServer, type TestServer } from "../tests/helpers/server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const FIXED_S = Number(process.env.BENCH_FIXED_SECONDS ?? 8);
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 400);
const WARMUP_S = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Endpoints the load is spread over: one (every commit of both instances takes the same endpoint's lock) and several. */
const SPREADS = (process.env.BENCH_ENDPOINTS ?? "1,8").split(",").map(Number);
const CONNECTIONS = 64;
const METRICS_TOKEN = "bench-cluster-metrics-token";
const CLK_TCK = 100;
const body = JSON.stringify({
  id: "evt_1",
  type: "invoice.paid",
  data: {
    object: {
      id: "in_1",
      amount: 4200,
      currency: "usd",
      lines: Array.from({ length: 8 }, (_, i) => ({ id: `il_${i}`, amount: 525, description: "Pro plan seat" })),
    },
  },
}).padEnd(1024, " ");

// ---- load (wrk) ----

let scripts = 0;
/** A wrk script posting to /in/<one of tokens, at random>/<suffix>; with perSecond, at that rate. */
function wrkScript(dir: string, tokens: string[], suffix: string, perSecond?: number): string {
  const file = path.join(dir, `load-${scripts++}.lua`);
  const lines = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(body)}`,
    'wrk.headers["content-type"] = "application/json"',
    `local paths = { ${tokens.map((t) => JSON.stringify(`/in/${t}/${suffix}`)).join(", ")} }`,
    "function request() return wrk.format(nil, paths[math.random(#paths)]) end",
  ];
  if (perSecond) {
    // Poisson arrivals at perSecond (as bench/run.ts): each due time an exponential gap after the last.
    lines.push(
      'local ffi = require("ffi")',
      "ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } hs_timespec; int clock_gettime(int clk, hs_timespec *tp); ]]",
      'local ts = ffi.new("hs_timespec")',
      "local function now_ms() ffi.C.clock_gettime(1, ts) return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end",
      `local per_ms = ${perSecond} / 1000`,
      "local due = nil",
      "function delay()",
      "  local t = now_ms()",
      "  due = (due or t) - math.log(1 - math.random()) / per_ms",
      "  if due <= t then return 0 end",
      "  return math.floor(due - t + 0.5)",
      "end",
    );
  }
  lines.push("math.randomseed(os.time())");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

interface WrkRun {
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** wrk's own CPU time. */
  cpuSeconds: number;
}

const toMs = (value: string, unit: string) => (unit === "us" ? Number(value) / 1000 : unit === "s" ? Number(value) * 1000 : Number(value));

function wrk(script: string, url: string, connections: number, seconds: number): Promise<WrkRun> {
  return new Promise((resolve, reject) => {
    // Through bash, whose `times` then prints wrk's CPU time (its children's user and system time).
    const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url];
    execFile("bash", ["-c", 'wrk "$@"; times', "wrk", ...args], { maxBuffer: 1 << 20 }, (err, out) => {
      if (err) return reject(err);
      const ms = (label: string) => {
        const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(out);
        return m ? toMs(m[1]!, m[2]!) : Number.NaN;
      };
      const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? Number.NaN);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const errors = sock ? sock.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
      if (!Number.isFinite(total)) return reject(new Error(`could not read wrk's output:\n${out}`));
      // `times`' last line: the children's user and system time ("0m1.234s 0m0.567s").
      const children = out.trim().split("\n").pop() ?? "";
      const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((n, m) => n + Number(m[1]) * 60 + Number(m[2]), 0);
      resolve({ ok: total - non2xx, non2xx, errors, p50Ms: ms("50"), p99Ms: ms("99"), cpuSeconds });
    });
  });
}

// ---- the live stream that times capture → SSE ----

function watch(url: string, cookie: string, onlyPath: string) {
  const lat: number[] = [];
  let counting = false;
  let resolveReady: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const parser = createParser({
    onEvent(ev) {
      if (ev.event === "ready") resolveReady();
      if (ev.event !== "capture" || !counting) return;
      const c = JSON.parse(ev.data) as { path: string; receivedAt: number };
      if (c.path === onlyPath) lat.push(Date.now() - c.receivedAt);
    },
  });
  const req = http.get(url, { headers: { accept: "text/event-stream", cookie } }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => parser.feed(chunk));
  });
  req.on("error", () => {});
  return {
    ready,
    start() {
      lat.length = 0;
      counting = true;
    },
    stop() {
      counting = false;
      return [...lat];
    },
    close: () => req.destroy(),
  };
}

// ---- process figures ----

/** utime + stime of a process (all its threads), in seconds; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Busy seconds of the whole machine (every core, every process) from /proc/stat. */
function machineBusySeconds(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLK_TCK;
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    return Math.round(kb / 102.4) / 10;
  } catch {
    return 0;
  }
}

async function metrics(s: TestServer): Promise<{ commitSum: number; commitCount: number; rowsSum: number }> {
  const text = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)$`, "m").exec(text)?.[1] ?? 0);
  return {
    commitSum: value("hookscope_commit_seconds_sum"),
    commitCount: value("hookscope_commit_seconds_count"),
    rowsSum: value("hookscope_write_group_rows_sum"),
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- one measured phase ----

interface Phase {
  capturesPerSecStored: number;
  ackP50Ms: number;
  ackP99Ms: number;
  non2xx: number;
  socketErrors: number;
  captureToSse: { observedOn: string; ofCapturesIngestedOn: string; events: number; p50Ms: number; p99Ms: number };
  cpuSeconds: Record<string, number>;
  perInstance: Record<string, { capturesAcked: number; meanCommitMs: number; rowsPerCommit: number; peakRssMb: number }>;
}

async function main() {
  execFileSync(process.execPath, [path.join(root, "scripts/ensure-build.mjs")], { stdio: "inherit" });
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new Error("wrk is needed (apt-get install wrk; npm run bench installs it)");
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-bench-cluster-"));
  const redis = privateRedis(await freePort());
  await redis.start();
  const redisPid = redis.pid!;
  let a: TestServer | undefined;
  let b: TestServer | undefined;
  try {
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: "hs-bench:",
      SECRET: "bench-cluster-secret-bench-cluster-secret-012345",
      METRICS_TOKEN,
    };
    a = await startServer({ provider: "postgresql", env });
    b = await startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env });
    const A = a;
    const B = b;
    const db = new pg.Client({ connectionString: A.databaseUrl });
    await db.connect();
    const user = new Api(A.url);
    await user.signUp("bench@example.test");
    const eps: { id: string; token: string }[] = [];
    for (let i = 0; i < Math.max(...SPREADS); i++) eps.push(await user.createEndpoint({ name: `bench-cluster-${i}` }));
    const count = async (ids: string[]) =>
      Number((await db.query(`SELECT count(*)::int AS n FROM "Capture" WHERE "endpointId" = ANY($1::text[])`, [ids])).rows[0].n);
    const backends = async () =>
      (
        await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
      ).rows.map((r) => r.pid);

    const idleRssMbAfterStart = { A: rssMb(A.child.pid!), B: rssMb(B.child.pid!) };
    // Warm both (JIT, pools), then idle RSS again.
    const warm = wrkScript(dir, [eps[0]!.token], "warm");
    await Promise.all([wrk(warm, A.url, 16, WARMUP_S), wrk(warm, B.url, 16, WARMUP_S)]);
    await sleep(3000);
    const idleRssMbAfterWarmup = { A: rssMb(A.child.pid!), B: rssMb(B.child.pid!) };

    const phase = async (instances: 1 | 2, kind: "saturation" | "fixed", spread: number): Promise<Phase> => {
      const targets = instances === 1 ? [A] : [A, B];
      const names = instances === 1 ? ["A"] : ["A", "B"];
      const observer = instances === 1 ? A : B;
      const used = eps.slice(0, spread);
      // The stream watches the first endpoint, and times the captures A took (ingested on the other instance).
      const stream = watch(`${observer.url}/api/endpoints/${used[0]!.id}/stream`, user.cookie, "/a");
      await stream.ready;
      const seconds = kind === "saturation" ? DURATION_S : FIXED_S;
      const scripts = names.map((n) =>
        wrkScript(
          dir,
          used.map((e) => e.token),
          n.toLowerCase(),
          kind === "saturation" ? undefined : FIXED_RATE / instances,
        ),
      );
      const connections = CONNECTIONS / instances;
      const m0 = await Promise.all(targets.map(metrics));
      const pg0 = new Map((await backends()).map((p) => [p, cpuSeconds(p)]));
      const own0 = process.cpuUsage();
      const cpu0: Record<string, number> = {
        ...Object.fromEntries(targets.map((s, i) => [names[i]!, cpuSeconds(s.child.pid!)])),
        redis: cpuSeconds(redisPid),
        machine: machineBusySeconds(),
      };
      const ids = used.map((e) => e.id);
      const n0 = await count(ids);
      const peak = targets.map(() => 0);
      const sampler = setInterval(() => {
        for (const [i, s] of targets.entries()) peak[i] = Math.max(peak[i]!, rssMb(s.child.pid!));
      }, 250);
      stream.start();
      const started = Date.now();
      const runs = await Promise.all(targets.map((s, i) => wrk(scripts[i]!, s.url, connections, seconds)));
      const wall = (Date.now() - started) / 1000;
      clearInterval(sampler);
      const cpu1: Record<string, number> = {
        ...Object.fromEntries(targets.map((s, i) => [names[i]!, cpuSeconds(s.child.pid!)])),
        redis: cpuSeconds(redisPid),
        machine: machineBusySeconds(),
      };
      // This database's backends: their time since the phase began (one that started meanwhile, all of it).
      const pgSpent = (await backends()).reduce((n, p) => n + cpuSeconds(p) - (pg0.get(p) ?? 0), 0);
      const own = process.cpuUsage(own0);
      const n1 = await count(ids);
      await sleep(1000); // the last events reach the stream
      const lat = stream.stop();
      stream.close();
      const m1 = await Promise.all(targets.map(metrics));
      const cpu: Record<string, number> = {};
      for (const k of Object.keys(cpu1)) cpu[k] = round1(cpu1[k]! - cpu0[k]!);
      cpu.postgres = round1(pgSpent);
      cpu.benchProcess = round1((own.user + own.system) / 1e6);
      cpu.wrk = round1(runs.reduce((n, r) => n + r.cpuSeconds, 0));
      const accounted = Object.entries(cpu)
        .filter(([k]) => k !== "machine")
        .reduce((n, [, v]) => n + v, 0);
      cpu.otherProcesses = round1(cpu.machine! - accounted);
      cpu.wallSeconds = round1(wall);
      return {
        capturesPerSecStored: Math.round((n1 - n0) / wall),
        ackP50Ms: Math.max(...runs.map((r) => r.p50Ms)),
        ackP99Ms: Math.max(...runs.map((r) => r.p99Ms)),
        non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
        socketErrors: runs.reduce((n, r) => n + r.errors, 0),
        captureToSse: {
          observedOn: instances === 1 ? "A" : "B",
          ofCapturesIngestedOn: "A",
          events: lat.length,
          p50Ms: pct(lat, 50),
          p99Ms: pct(lat, 99),
        },
        cpuSeconds: cpu,
        perInstance: Object.fromEntries(
          targets.map((_, i) => {
            const commits = m1[i]!.commitCount - m0[i]!.commitCount;
            return [
              names[i]!,
              {
                capturesAcked: runs[i]!.ok,
                meanCommitMs: commits ? round1(((m1[i]!.commitSum - m0[i]!.commitSum) / commits) * 1000) : 0,
                rowsPerCommit: commits ? round1((m1[i]!.rowsSum - m0[i]!.rowsSum) / commits) : 0,
                peakRssMb: peak[i]!,
              },
            ];
          }),
        ),
      };
    };

    type Round = { one: { saturation: Phase; fixed: Phase }; two: { saturation: Phase; fixed: Phase } };
    const bySpread: Record<string, Round[]> = {};
    for (const spread of SPREADS) {
      const rounds: Round[] = [];
      bySpread[`endpoints${spread}`] = rounds;
      for (let r = 0; r < ROUNDS; r++) {
        console.log(`== ${spread} endpoint(s), round ${r + 1}/${ROUNDS}: one instance`);
        const one = { saturation: await phase(1, "saturation", spread), fixed: await phase(1, "fixed", spread) };
        console.log(`   ${one.saturation.capturesPerSecStored} captures/s stored`);
        console.log(`== ${spread} endpoint(s), round ${r + 1}/${ROUNDS}: two instances`);
        const two = { saturation: await phase(2, "saturation", spread), fixed: await phase(2, "fixed", spread) };
        console.log(`   ${two.saturation.capturesPerSecStored} captures/s stored`);
        rounds.push({ one, two });
      }
    }
    await db.end();

    const summarise = (rounds: Round[]) => {
      const of = (pick: (x: Round) => Phase) => ({
        capturesPerSecStored: Math.round(median(rounds.map((x) => pick(x).capturesPerSecStored))),
        ackP99Ms: round1(median(rounds.map((x) => pick(x).ackP99Ms))),
        captureToSseP99Ms: round1(median(rounds.map((x) => pick(x).captureToSse.p99Ms))),
      });
      const one = of((x) => x.one.saturation);
      const two = of((x) => x.two.saturation);
      return {
        saturation: { one, two, ratioTwoToOne: Math.round((two.capturesPerSecStored / one.capturesPerSecStored) * 100) / 100 },
        [`fixed${FIXED_RATE}PerSec`]: { one: of((x) => x.one.fixed), two: of((x) => x.two.fixed) },
        peakLoadedRssMb: {
          one: { A: Math.max(...rounds.map((x) => x.one.saturation.perInstance.A!.peakRssMb)) },
          two: {
            A: Math.max(...rounds.map((x) => x.two.saturation.perInstance.A!.peakRssMb)),
            B: Math.max(...rounds.map((x) => x.two.saturation.perInstance.B!.peakRssMb)),
          },
        },
      };
    };
    const summary = Object.fromEntries(Object.entries(bySpread).map(([k, rounds]) => [k, summarise(rounds)]));
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverageAtEnd: os.loadavg().map(round1) },
      conditions: {
        store: "PostgreSQL (a fresh database) + a private redis-server; both configurations in cluster mode (REDIS_URL)",
        load: `wrk, ${CONNECTIONS} connections in all, ${DURATION_S} s saturation + ${FIXED_S} s at ${FIXED_RATE}/s (Poisson) per round and configuration, 1 KB JSON, spread at random over ${SPREADS.join(" or ")} endpoint(s)`,
        rounds: ROUNDS,
        oneInstance: "A takes all the load and serves the stream; B runs idle",
        twoInstances: "half the connections (and half the rate) on each; the stream on B times captures A took",
      },
      idleRssMb: { afterStart: idleRssMbAfterStart, afterWarmup: idleRssMbAfterWarmup },
      summary,
      rounds: bySpread,
    };
    writeFileSync(path.join(root, "bench/cluster-results.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify({ idleRssMb: results.idleRssMb, summary }, null, 2));
    for (const [k, rounds] of Object.entries(bySpread)) {
      const sum = summary[k]!;
      const sat = sum.saturation as ReturnType<typeof summarise>["saturation"];
      const fixed = sum[`fixed${FIXED_RATE}PerSec`] as {
        one: { ackP99Ms: number; captureToSseP99Ms: number };
        two: { ackP99Ms: number; captureToSseP99Ms: number };
      };
      const last = rounds[rounds.length - 1]!;
      console.log(
        `\n${k}: captures/s stored, two instances vs one: ${sat.ratioTwoToOne} (${sat.two.capturesPerSecStored} vs ${sat.one.capturesPerSecStored})`,
      );
      console.log(
        `  p99 ack: saturation ${sat.two.ackP99Ms} vs ${sat.one.ackP99Ms} ms; at ${FIXED_RATE}/s ${fixed.two.ackP99Ms} vs ${fixed.one.ackP99Ms} ms`,
      );
      console.log(
        `  p99 capture→SSE (two: on B, of A's captures; one: on A): saturation ${sat.two.captureToSseP99Ms} vs ${sat.one.captureToSseP99Ms} ms; at ${FIXED_RATE}/s ${fixed.two.captureToSseP99Ms} vs ${fixed.one.captureToSseP99Ms} ms`,
      );
      console.log(`  where the time goes (CPU s, last round's saturation): one ${JSON.stringify(last.one.saturation.cpuSeconds)}`);
      console.log(`                                                     two ${JSON.stringify(last.two.saturation.cpuSeconds)}`);
      console.log(
        `  commits: one ${JSON.stringify(last.one.saturation.perInstance)}; two ${JSON.stringify(last.two.saturation.perInstance)}`,
      );
    }
    console.log(
      `\nRSS idle after start ${JSON.stringify(idleRssMbAfterStart)}, after warm-up ${JSON.stringify(idleRssMbAfterWarmup)} (MB)`,
    );
  } finally {
    await b?.stop();
    await a?.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
