// npm run bench: Hookscope's capture door against a bare node:http baseline, same load, same run.
// Prints and writes bench/results.json. Not part of the test suite.
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 64;
const FIXED_RATE = 2000;
const body = JSON.stringify({
  id: "evt_1",
  type: "invoice.paid",
  data: { object: { id: "in_1", amount: 4200, currency: "usd", lines: Array.from({ length: 8 }, (_, i) => ({ id: `il_${i}`, amount: 525, description: "Pro plan seat" })) } },
}).padEnd(1024, " ");

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

function load(url: string, opts: { duration: number; overallRate?: number; connections?: number }) {
  return autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json", "x-bench": "1" },
    body,
    connections: opts.connections ?? CONNECTIONS,
    duration: opts.duration,
    ...(opts.overallRate && { overallRate: opts.overallRate }),
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  execFileSync(process.execPath, [path.join(root, "scripts/ensure-build.mjs")], { stdio: "inherit" });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookscope-bench-"));
  const children: ChildProcess[] = [];
  try {
    const baseline = spawn(process.execPath, [path.join(root, "bench/baseline.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(baseline);
    const basePort = JSON.parse(await waitForLine(baseline, (l) => l.includes('"port"'), "baseline")).port as number;

    const server = spawn(path.join(root, "node_modules/.bin/tsx"), ["server.ts"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(server);
    const listening = JSON.parse(await waitForLine(server, (l) => l.includes("hookscope listening"), "hookscope")) as { port: number; pid: number };
    const hsPort = listening.port;
    const api = `http://127.0.0.1:${hsPort}`;
    const created = await fetch(`${api}/api/endpoints`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"bench"}' });
    const cookie = created.headers.get("set-cookie")!.split(";")[0]!;
    const endpoint = (await created.json()) as { id: string; token: string };
    const captureUrl = `${api}/in/${endpoint.token}`;

    // Warm both up (JIT, page cache, connection setup), then the measured runs.
    await load(`http://127.0.0.1:${basePort}/`, { duration: 3 });
    await load(captureUrl, { duration: 3 });

    // Alternate baseline and Hookscope runs and report medians, so a burst of other load on the
    // machine cannot favour one side.
    const db = new Database(path.join(dataDir, "hookscope.db"), { readonly: true });
    const countStored = () => (db.prepare('SELECT COUNT(*) AS n FROM "Capture" WHERE "endpointId" = ?').get(endpoint.id) as { n: number }).n;
    const rounds: { baseline: number; hookscope: number; acked: number; stored: number; p50: number; p99: number; non2xx: number; errors: number }[] = [];
    let base!: autocannon.Result;
    for (let round = 0; round < ROUNDS; round++) {
      base = await load(`http://127.0.0.1:${basePort}/`, { duration: DURATION_S });
      const storedBefore = countStored();
      const hs = await load(captureUrl, { duration: DURATION_S });
      await new Promise((r) => setTimeout(r, 300)); // acks still in flight when the tool stopped
      rounds.push({
        baseline: base.requests.average,
        hookscope: hs["2xx"] / DURATION_S,
        acked: hs["2xx"],
        stored: countStored() - storedBefore,
        p50: hs.latency.p50,
        p99: hs.latency.p99,
        non2xx: hs.non2xx,
        errors: hs.errors,
      });
      console.log(`round ${round + 1}: baseline ${Math.round(base.requests.average)}/s, hookscope ${Math.round(hs["2xx"] / DURATION_S)}/s`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const baseRate = median(rounds.map((r) => r.baseline));
    const hsRate = median(rounds.map((r) => r.hookscope));
    const acked = rounds.reduce((n, r) => n + r.acked, 0);
    const stored = rounds.reduce((n, r) => n + r.stored, 0);

    // Capture → SSE delivery at a fixed rate: an SSE client measures now − receivedAt per event.
    const deliveries: number[] = [];
    const sse = await new Promise<http.ClientRequest>((resolve) => {
      const req = http.get(`${api}/api/endpoints/${endpoint.id}/stream`, { headers: { cookie } }, (res) => {
        let buf = "";
        res.on("data", (d: Buffer) => {
          const now = Date.now();
          buf += d.toString();
          let idx;
          while ((idx = buf.indexOf("\n\n")) >= 0) {
            const event = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            const data = /^data: (.*)$/m.exec(event)?.[1];
            if (event.includes("event: capture") && data) deliveries.push(now - (JSON.parse(data) as { receivedAt: number }).receivedAt);
          }
        });
        resolve(req);
      });
    });
    const fixed = await load(captureUrl, { duration: DURATION_S, overallRate: FIXED_RATE });
    await new Promise((r) => setTimeout(r, 500));
    sse.destroy();
    deliveries.sort((a, b) => a - b);

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, database: "sqlite" },
      load: { tool: "autocannon", connections: CONNECTIONS, bodyBytes: Buffer.byteLength(body), durationSeconds: DURATION_S, rounds: ROUNDS },
      rounds: rounds.map((r) => ({ baseline: Math.round(r.baseline), hookscope: Math.round(r.hookscope) })),
      baseline: { requestsPerSecond: Math.round(baseRate), p50Ms: base.latency.p50, p99Ms: base.latency.p99, non2xx: base.non2xx, errors: base.errors },
      hookscope: {
        capturesPerSecond: Math.round(hsRate),
        acknowledged: acked,
        stored,
        /** Acknowledged (2xx) but not stored: must be 0. */
        lost: Math.max(0, acked - stored),
        /** Stored but the ack was still in flight when the load tool stopped counting. */
        storedAfterLoadStopped: Math.max(0, stored - acked),
        non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
        errors: rounds.reduce((n, r) => n + r.errors, 0),
        p50AckMs: median(rounds.map((r) => r.p50)),
        p99AckMs: median(rounds.map((r) => r.p99)),
        peakRssMb: peakRssMb(listening.pid),
      },
      ratioToBaseline: Number((hsRate / baseRate).toFixed(3)),
      fixedRate: {
        requestsPerSecond: FIXED_RATE,
        achieved: Math.round(fixed.requests.average),
        p50AckMs: fixed.latency.p50,
        p99AckMs: fixed.latency.p99,
        sseEvents: deliveries.length,
        p50CaptureToSseMs: pct(deliveries, 50),
        p99CaptureToSseMs: pct(deliveries, 99),
      },
      targets: { ratioToBaseline: 0.5, p99AckMsAt2000: 25, p99CaptureToSseMsAt2000: 50 },
    };
    db.close();
    writeFileSync(path.join(root, "bench/results.json"), JSON.stringify(results, null, 2) + "\n");
    console.log(JSON.stringify(results, null, 2));
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
