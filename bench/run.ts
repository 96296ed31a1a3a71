// npm run bench: Hookscope's capture door against a bare node:http baseline, same load, same run.
// Prints and writes bench/results.json. Not part of the test suite.
//
// Throughput is driven by wrk (C, one thread, 64 connections): on this 2-core machine the load
// tool shares the cores with the servers it measures, and autocannon (JavaScript) needs about a
// core of its own at these rates, so it measures itself as much as the server. wrk is installed
// from Debian's packages when missing; the same rounds are also run with autocannon and reported
// beside it. The fixed-rate phase (2,000 req/s: ack and capture→SSE latency) is driven by wrk too,
// with requests sent at the due times of a Poisson process (spread out, not in bursts); the bare
// baseline is measured at the same rate for scale, and the phase is repeated with autocannon's
// fixed rate (which, running in this process beside the SSE client, delays both its own reads and
// the SSE client's: the bare baseline alone showed a p99 of 12-250 ms under it on this machine).
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_ENTRY, SERVER_ENV, SERVER_NODE_ARGS } from "../tests/helpers/server";
import { measureFootprint, type Footprint } from "./footprint";
import { testPort } from "../tests/helpers/ports";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Many short rounds rather than a few long ones: this machine's speed drifts from one minute to
// the next (the bare baseline alone swings between 30k and 50k req/s), and a ratio is only as good
// as the pairing of its two runs.
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
/** The fixed-rate phase runs longer: its p99 is the 200th-worst of 20,000 answers, not the 100th of 10,000. */
const FIXED_S = Number(process.env.BENCH_FIXED_SECONDS ?? 10);
const FIXED_WARMUP_S = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const CONNECTIONS = 64;
const FIXED_RATE = 2000;
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
const headers = { "content-type": "application/json", "x-bench": "1" };

interface Run {
  /** 2xx responses per second. */
  rate: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

function waitForLine(child: ChildProcess, test: (line: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split("\n")) {
        if (test(line)) {
          clearTimeout(timer);
          resolve(line);
          return;
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (err) {
    // wrk prints its version and exits 1; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

function ensureWrk(): boolean {
  if (hasWrk()) return true;
  console.log("== installing wrk from Debian's packages");
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["install", "-y", "-qq", "wrk"], { stdio: "inherit", env });
  } catch {
    try {
      execFileSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq wrk"], { stdio: "inherit" });
    } catch {
      // reported below
    }
  }
  return hasWrk();
}

const wrkScript = (dir: string) => {
  const file = path.join(dir, "post.lua");
  const lines = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(body)}`,
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
};

const toMs = (value: string, unit: string) => (unit === "us" ? Number(value) / 1000 : unit === "s" ? Number(value) * 1000 : Number(value));

/** Parses wrk's --latency output ("50%    1.23ms", "Non-2xx or 3xx responses: 5", "12345 requests in 10.00s"). */
function parseWrk(out: string, seconds: number): Run {
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(out);
    if (!m) return NaN;
    return toMs(m[1]!, m[2]!);
  };
  const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = sock ? sock.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
  if (!Number.isFinite(total)) throw new Error(`could not read wrk's output:\n${out}`);
  return { rate: (total - non2xx) / seconds, ok: total - non2xx, non2xx, errors, p50Ms: ms("50"), p99Ms: ms("99") };
}

const wrk = async (script: string, url: string, seconds: number): Promise<Run> => parseWrk(await wrkOut(script, url, seconds), seconds);

/**
 * A wrk script for the fixed rate: request arrivals follow one Poisson process at `perSecond` (each
 * due time an exponential gap after the last, from a monotonic clock read through LuaJIT's ffi);
 * whichever connection is free takes the next due time. The rate holds whatever the latency, as
 * long as a connection is free (64 connections at 2,000/s: until answers take ~30 ms).
 */
const pacedScript = (dir: string, perSecond: number) => {
  const file = path.join(dir, "paced.lua");
  const lines = [
    readFileSync(wrkScript(dir), "utf8"),
    'local ffi = require("ffi")',
    "ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } hs_timespec; int clock_gettime(int clk, hs_timespec *tp); ]]",
    'local ts = ffi.new("hs_timespec")',
    "local function now_ms() ffi.C.clock_gettime(1, ts) return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end",
    `local per_ms = ${perSecond} / 1000`,
    "local due = nil",
    "math.randomseed(os.time())",
    "function delay()",
    "  local t = now_ms()",
    "  due = (due or t) - math.log(1 - math.random()) / per_ms",
    "  if due <= t then return 0 end",
    "  return math.floor(due - t + 0.5)",
    "end",
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
};

function wrkOut(script: string, url: string, seconds: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency", "-s", script, url], { maxBuffer: 1 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

function cannon(url: string, opts: { duration: number; overallRate?: number }) {
  return autocannon({
    url,
    method: "POST",
    headers,
    body,
    connections: CONNECTIONS,
    duration: opts.duration,
    ...(opts.overallRate && { overallRate: opts.overallRate }),
  });
}

async function autocannonRun(url: string, seconds: number): Promise<Run> {
  const r = await cannon(url, { duration: seconds });
  return { rate: r["2xx"] / seconds, ok: r["2xx"], non2xx: r.non2xx, errors: r.errors, p50Ms: r.latency.p50, p99Ms: r.latency.p99 };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
/** The median; of an even count, the mean of the two middle values (not the upper one). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main() {
  execFileSync(process.execPath, [path.join(root, "scripts/ensure-build.mjs")], { stdio: "inherit" });
  const useWrk = ensureWrk();
  if (!useWrk) console.log("!! wrk is not available: throughput is measured with autocannon only");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookscope-bench-"));
  const script = wrkScript(dataDir);
  const children: ChildProcess[] = [];
  try {
    // Ports: in TEST_PORTS when set (machines shared by several sessions), else the OS's choice.
    const baseline = spawn(process.execPath, [path.join(root, "bench/baseline.mjs")], {
      env: { ...process.env, PORT: String(await testPort()) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(baseline);
    const basePort = JSON.parse(await waitForLine(baseline, (l) => l.includes('"port"'), "baseline")).port as number;

    const server = spawn(process.execPath, [...SERVER_NODE_ARGS, path.join(root, SERVER_ENTRY)], {
      cwd: root,
      env: {
        ...process.env,
        ...SERVER_ENV,
        NODE_ENV: "production",
        PORT: String(await testPort()),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        LOG_LEVEL: "info",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(server);
    const listening = JSON.parse(await waitForLine(server, (l) => l.includes("hookscope listening"), "hookscope")) as {
      port: number;
      pid: number;
    };
    const api = `http://127.0.0.1:${listening.port}`;
    const created = await fetch(`${api}/api/endpoints`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name":"bench"}',
    });
    const cookie = created.headers.get("set-cookie")!.split(";")[0]!;
    const endpoint = (await created.json()) as { id: string; token: string };
    const captureUrl = `${api}/in/${endpoint.token}`;
    const baseUrl = `http://127.0.0.1:${basePort}/`;

    const db = new Database(path.join(dataDir, "hookscope.db"), { readonly: true });
    const countStored = () =>
      (db.prepare('SELECT COUNT(*) AS n FROM "Capture" WHERE "endpointId" = ?').get(endpoint.id) as { n: number }).n;
    let acked = 0;
    let stored = 0;
    const measure = async (tool: "wrk" | "autocannon", rounds: number) => {
      const run = (url: string) => (tool === "wrk" ? wrk(script, url, DURATION_S) : autocannonRun(url, DURATION_S));
      const runHookscope = async () => {
        const storedBefore = countStored();
        const h = await run(captureUrl);
        await new Promise((r) => setTimeout(r, 300)); // acks still in flight when the tool stopped
        acked += h.ok;
        stored += countStored() - storedBefore;
        return h;
      };
      // Warm both up (JIT, page cache, connection setup), then alternate baseline and Hookscope
      // rounds, so a burst of other load on the machine cannot favour one side.
      await run(baseUrl);
      await runHookscope();
      const out: { baseline: Run; hookscope: Run; ratio: number }[] = [];
      for (let round = 0; round < rounds; round++) {
        // Which side runs first alternates (B H, H B, …), so a drift during a pair favours neither.
        let b: Run, h: Run;
        if (round % 2 === 0) {
          b = await run(baseUrl);
          h = await runHookscope();
        } else {
          h = await runHookscope();
          b = await run(baseUrl);
        }
        out.push({ baseline: b, hookscope: h, ratio: h.rate / b.rate });
        console.log(
          `${tool} round ${round + 1}: baseline ${Math.round(b.rate)}/s, hookscope ${Math.round(h.rate)}/s, ratio ${(h.rate / b.rate).toFixed(3)}`,
        );
      }
      return out;
    };
    const primaryTool = useWrk ? "wrk" : "autocannon";
    const primary = await measure(primaryTool, ROUNDS);
    const secondary = useWrk ? await measure("autocannon", Math.max(1, Math.ceil(ROUNDS / 2))) : null;

    // Capture → SSE delivery at a fixed rate: an SSE client measures now − receivedAt per event.
    const watch = async () => {
      const deliveries: number[] = [];
      const req = await new Promise<http.ClientRequest>((resolve) => {
        const r = http.get(`${api}/api/endpoints/${endpoint.id}/stream`, { headers: { cookie } }, (res) => {
          let buf = "";
          res.on("data", (d: Buffer) => {
            const now = Date.now();
            buf += d.toString();
            for (let idx = buf.indexOf("\n\n"); idx >= 0; idx = buf.indexOf("\n\n")) {
              const event = buf.slice(0, idx);
              buf = buf.slice(idx + 2);
              const data = /^data: (.*)$/m.exec(event)?.[1];
              if (event.includes("event: capture") && data) deliveries.push(now - (JSON.parse(data) as { receivedAt: number }).receivedAt);
            }
          });
          resolve(r);
        });
      });
      return { deliveries, stop: () => req.destroy() };
    };
    const fixedPhase = async (tool: "wrk" | "autocannon") => {
      type Fixed = Run & { achieved: number };
      const load = async (url: string, seconds: number): Promise<Fixed> => {
        if (tool === "wrk") {
          const r = await wrk(pacedScript(dataDir, FIXED_RATE), url, seconds);
          return { ...r, achieved: (r.ok + r.non2xx) / seconds };
        }
        const r = await cannon(url, { duration: seconds, overallRate: FIXED_RATE });
        return {
          rate: r["2xx"] / seconds,
          ok: r["2xx"],
          non2xx: r.non2xx,
          errors: r.errors,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          achieved: r.requests.average,
        };
      };
      // Each side first runs FIXED_WARMUP_S at the same rate, not measured (like the throughput rounds'
      // warm-up): the live path (door → main thread → SSE) is compiled and the database settled after
      // the saturation rounds, so the figure is the steady state at 2,000/s.
      await load(baseUrl, FIXED_WARMUP_S);
      const base = await load(baseUrl, FIXED_S);
      const live = await watch();
      const before = countStored();
      const warm = await load(captureUrl, FIXED_WARMUP_S);
      live.deliveries.length = 0;
      const h = await load(captureUrl, FIXED_S);
      await new Promise((r) => setTimeout(r, 500));
      acked += warm.ok + h.ok;
      stored += countStored() - before;
      live.stop();
      const d = live.deliveries.sort((a, b) => a - b);
      console.log(`${tool} at ${FIXED_RATE}/s: p99 ack ${h.p99Ms} ms (baseline ${base.p99Ms} ms), p99 capture→SSE ${pct(d, 99)} ms`);
      return {
        tool,
        requestsPerSecond: FIXED_RATE,
        seconds: FIXED_S,
        warmupSeconds: FIXED_WARMUP_S,
        achieved: Math.round(h.achieved),
        p50AckMs: h.p50Ms,
        p99AckMs: h.p99Ms,
        non2xx: h.non2xx,
        baselineAchieved: Math.round(base.achieved),
        baselineP50Ms: base.p50Ms,
        baselineP99Ms: base.p99Ms,
        sseEvents: d.length,
        p50CaptureToSseMs: pct(d, 50),
        p99CaptureToSseMs: pct(d, 99),
      };
    };
    const fixed = useWrk ? await fixedPhase("wrk") : null;
    const fixedAutocannon = await fixedPhase("autocannon");
    // The footprint (issue 17), on its own server as a user starts it (`npm start`, existing build):
    // start-up to /readyz, then the tree's memory idle and at its peak under wrk's 64 connections.
    const serverPeakRssMb = peakRssMb(listening.pid);
    db.close();
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    const footprint: Footprint | null = useWrk
      ? await measureFootprint({ command: "npm start --silent", port: await testPort(), idleSettleMs: 10_000, loadSeconds: DURATION_S * 2 })
      : null;
    if (footprint) {
      const f = footprint;
      console.log(
        `footprint: ready in ${f.startToReadyMs} ms (restart ${f.restartToReadyMs} ms); idle tree ${f.idle.tree.rssMb} MB (server ${f.idle.server?.rssMb} MB), loaded tree ${f.loaded.tree.rssMb} MB (server ${f.loaded.server?.rssMb} MB)`,
      );
    }

    const summary = (rounds: { baseline: Run; hookscope: Run; ratio: number }[]) => ({
      rounds: rounds.map((r) => ({
        baseline: Math.round(r.baseline.rate),
        hookscope: Math.round(r.hookscope.rate),
        ratio: Number(r.ratio.toFixed(3)),
      })),
      baselineRequestsPerSecond: Math.round(median(rounds.map((r) => r.baseline.rate))),
      capturesPerSecond: Math.round(median(rounds.map((r) => r.hookscope.rate))),
      /** Median of the per-round ratios (each round's Hookscope run against the baseline run just before it). */
      ratioToBaseline: Number(median(rounds.map((r) => r.ratio)).toFixed(3)),
      p50AckMs: median(rounds.map((r) => r.hookscope.p50Ms)),
      p99AckMs: median(rounds.map((r) => r.hookscope.p99Ms)),
      baselineP99Ms: median(rounds.map((r) => r.baseline.p99Ms)),
      non2xx: rounds.reduce((n, r) => n + r.hookscope.non2xx, 0),
      errors: rounds.reduce((n, r) => n + r.hookscope.errors, 0),
    });
    const main = summary(primary);
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, database: "sqlite" },
      load: {
        tool: primaryTool,
        connections: CONNECTIONS,
        bodyBytes: Buffer.byteLength(body),
        durationSeconds: DURATION_S,
        rounds: ROUNDS,
      },
      throughput: main,
      ratioToBaseline: main.ratioToBaseline,
      ...(secondary && { withAutocannon: summary(secondary) }),
      durability: {
        /** Every 2xx of every phase above, against the rows stored for them. */
        acknowledged: acked,
        stored,
        /** Acknowledged (2xx) but not stored: must be 0. */
        lost: Math.max(0, acked - stored),
        /** Stored but the ack was still in flight when the load tool stopped counting. */
        storedAfterLoadStopped: Math.max(0, stored - acked),
      },
      /** The bench server's peak (VmHWM) over every phase above. */
      peakRssMb: serverPeakRssMb,
      footprint,
      fixedRate: fixed ? { ...fixed, withAutocannon: fixedAutocannon } : fixedAutocannon,
      targets: {
        ratioToBaseline: 0.5,
        p99AckMsAt2000: 25,
        p99CaptureToSseMsAt2000: 50,
        idleTreeRssMb: 150,
        loadedTreeRssMb: 300,
        startToReadyMs: 3000,
      },
    };
    const at2000 = results.fixedRate;
    const checks = [
      {
        name: `ratio to the baseline (${primaryTool})`,
        value: main.ratioToBaseline,
        ok: main.ratioToBaseline >= results.targets.ratioToBaseline,
        want: `≥ ${results.targets.ratioToBaseline}`,
      },
      {
        name: `p99 ack at ${FIXED_RATE}/s (${at2000.tool})`,
        value: at2000.p99AckMs,
        ok: at2000.p99AckMs <= results.targets.p99AckMsAt2000,
        want: `≤ ${results.targets.p99AckMsAt2000} ms`,
      },
      {
        name: `p99 capture→SSE at ${FIXED_RATE}/s (${at2000.tool})`,
        value: at2000.p99CaptureToSseMs,
        ok: at2000.p99CaptureToSseMs <= results.targets.p99CaptureToSseMsAt2000,
        want: `≤ ${results.targets.p99CaptureToSseMsAt2000} ms`,
      },
      { name: "acknowledged but not stored", value: results.durability.lost, ok: results.durability.lost === 0, want: "0" },
      ...(footprint
        ? [
            {
              name: "idle RSS, npm start's whole tree",
              value: footprint.idle.tree.rssMb,
              ok: footprint.idle.tree.rssMb <= results.targets.idleTreeRssMb,
              want: `≤ ${results.targets.idleTreeRssMb} MB`,
            },
            {
              name: "RSS under 64 connections, npm start's whole tree",
              value: footprint.loaded.tree.rssMb,
              ok: footprint.loaded.tree.rssMb <= results.targets.loadedTreeRssMb,
              want: `≤ ${results.targets.loadedTreeRssMb} MB`,
            },
            {
              name: "start-up to /readyz (existing build, existing database)",
              value: footprint.restartToReadyMs,
              ok: footprint.restartToReadyMs <= results.targets.startToReadyMs,
              want: `≤ ${results.targets.startToReadyMs} ms`,
            },
            {
              name: "start-up to /readyz (existing build, new database: migrations applied)",
              value: footprint.startToReadyMs,
              ok: footprint.startToReadyMs <= results.targets.startToReadyMs,
              want: `≤ ${results.targets.startToReadyMs} ms`,
            },
            {
              name: "tsx or esbuild processes at run time",
              value: footprint.loaderProcesses.length,
              ok: footprint.loaderProcesses.length === 0,
              want: "0",
            },
          ]
        : []),
    ];
    const output = { ...results, met: Object.fromEntries(checks.map((c) => [c.name, c.ok])) };
    writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify(output, null, 2)}\n`);
    console.log(JSON.stringify(output, null, 2));
    for (const c of checks) console.log(`${c.ok ? "met    " : "NOT MET"}  ${c.name}: ${c.value} (target ${c.want})`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
