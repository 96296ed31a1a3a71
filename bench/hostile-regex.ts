// npm run bench:hostile-regex: another endpoint's capture latency while a hostile redaction rule runs
// on one endpoint, against a baseline in the same run without it (issue 14 item 1; target p99 ≤ 25 ms).
// Not part of the test suite. Needs a build (npm run build).
//
// One server (node dist/server.mjs, production, SQLite). Endpoint "victim" gets small JSON captures at a
// fixed rate (RATE/s, spread evenly, each answer timed). Endpoint "hostile" has the rule `a{1,250}$`
// (allowed by the compile limits; seconds of RE2 work over 256 KiB of "a") with redact at ingest on.
// Phase 1 (baseline): the victim's traffic alone. Phase 3 (below): the rule over 14 KiB header values. Phase 2: the same traffic while HOSTILE_LANES
// loops each send a 256 KiB body of "a" to the hostile endpoint and open its capture (detail and body
// download) as soon as the previous one answered. Prints p50/p99/max for the victim per phase, and how
// long the hostile requests took (they are bounded by REDACTION_DEADLINE_MS, default 1000).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_ENTRY, SERVER_ENV, SERVER_NODE_ARGS } from "../tests/helpers/server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const HOSTILE_LANES = Number(process.env.BENCH_HOSTILE_LANES ?? 2);
const HOSTILE_RULE = "a{1,250}$";
const HOSTILE_BODY = Buffer.from("a".repeat(256 * 1024));
// Each hostile body differs (a counter in front), so none is known to be over budget already: every
// one costs a worker its full deadline.
let hostileSeq = 0;
const hostileBody = () => Buffer.concat([Buffer.from(`${hostileSeq++} `), HOSTILE_BODY]);
const VICTIM_BODY = Buffer.from(JSON.stringify({ id: "evt_1", type: "invoice.paid", data: { amount: 4200, card: "4242 4242 4242 4242" } }));

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function request(
  url: string,
  method: string,
  body: Buffer | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; ms: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks), headers: res.headers }),
        );
      },
    );
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

function waitForLine(child: ChildProcess, test: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error("timed out waiting for the server")), 90_000);
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
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (xs: number[]) =>
  `n=${xs.length} p50 ${pct(xs, 50).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`;

/** The victim's captures at RATE/s for SECONDS; every answer's time. */
async function victimTraffic(url: string): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  const total = RATE * SECONDS;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      request(url, "POST", VICTIM_BODY, { "content-type": "application/json" }).then(
        (r) => {
          if (r.status === 200) times.push(r.ms);
          else failed++;
        },
        () => void failed++,
      ),
    );
  }
  await Promise.all(inflight);
  return { times, failed };
}

async function main() {
  execFileSync(process.execPath, [path.join(root, "scripts/ensure-build.mjs")], { stdio: "inherit" });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookscope-hostile-"));
  const server = spawn(process.execPath, [...SERVER_NODE_ARGS, path.join(root, SERVER_ENTRY)], {
    cwd: root,
    env: {
      ...process.env,
      ...SERVER_ENV,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const listening = JSON.parse(await waitForLine(server, (l) => l.includes("hookscope listening"))) as { port: number };
    const api = `http://127.0.0.1:${listening.port}`;
    const created = await fetch(`${api}/api/endpoints`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name":"victim"}',
    });
    const cookie = created.headers.get("set-cookie")!.split(";")[0]!;
    const victim = (await created.json()) as { id: string; token: string };
    const json = { "content-type": "application/json", cookie };
    const hostile = (await (await fetch(`${api}/api/endpoints`, { method: "POST", headers: json, body: '{"name":"hostile"}' })).json()) as {
      id: string;
      token: string;
    };
    const patched = await fetch(`${api}/api/endpoints/${hostile.id}`, {
      method: "PATCH",
      headers: json,
      body: JSON.stringify({ redactionRules: [{ kind: "regex", pattern: HOSTILE_RULE }], redactAtIngest: true }),
    });
    if (patched.status !== 200) throw new Error(`hostile rule refused: ${patched.status} ${await patched.text()}`);
    const victimUrl = `${api}/in/${victim.token}`;
    const hostileUrl = `${api}/in/${hostile.token}`;

    // Warm-up: routes, the JIT, the redaction workers.
    for (let i = 0; i < 200; i++) await request(victimUrl, "POST", VICTIM_BODY, { "content-type": "application/json" });
    await request(hostileUrl, "POST", HOSTILE_BODY, { "content-type": "text/plain" });

    const baseline = await victimTraffic(victimUrl);

    let stop = false;
    const ingestMs: number[] = [];
    const viewMs: number[] = [];
    let withheld = 0;
    let stored = 0;
    const lane = async () => {
      while (!stop) {
        const r = await request(hostileUrl, "POST", hostileBody(), { "content-type": "text/plain" });
        ingestMs.push(r.ms);
        const id = (JSON.parse(r.body.toString()) as { captureId: string }).captureId;
        stored++;
        // Redact at ingest withheld the body; open an older, unmasked-at-ingest view path as well:
        // the detail and the body download of this capture (masked on the app thread's side).
        const d = await request(`${api}/api/captures/${id}`, "GET", null, { cookie });
        viewMs.push(d.ms);
        const detail = JSON.parse(d.body.toString()) as { rejected: string | null };
        if (detail.rejected === "redaction_budget_exceeded") withheld++;
      }
    };
    const hostileRun = Promise.all(Array.from({ length: HOSTILE_LANES }, lane));
    const during = await victimTraffic(victimUrl);
    stop = true;
    await hostileRun;

    // Phase 3: the same rule over header values and queries (a 14 KiB header value, a 1 KiB query and a
    // small body per capture), masked at ingest and again in the detail view: off both threads.
    stop = false;
    const headerIngestMs: number[] = [];
    const headerViewMs: number[] = [];
    const headerLane = async () => {
      while (!stop) {
        const n = hostileSeq++;
        const r = await request(`${hostileUrl}?q=${n}${"a".repeat(1000)}`, "POST", Buffer.from("small"), {
          "content-type": "text/plain",
          "x-pad": `${n} ${"a".repeat(14 * 1024)}`,
        });
        headerIngestMs.push(r.ms);
        const id = (JSON.parse(r.body.toString()) as { captureId: string }).captureId;
        headerViewMs.push((await request(`${api}/api/captures/${id}`, "GET", null, { cookie })).ms);
      }
    };
    const headerRun = Promise.all(Array.from({ length: HOSTILE_LANES }, headerLane));
    const duringHeaders = await victimTraffic(victimUrl);
    stop = true;
    await headerRun;

    // Views under the hostile rule without ingest redaction: a stored 256 KiB body opened repeatedly.
    await fetch(`${api}/api/endpoints/${hostile.id}`, { method: "PATCH", headers: json, body: JSON.stringify({ redactAtIngest: false }) });
    const plain = (
      JSON.parse((await request(hostileUrl, "POST", HOSTILE_BODY, { "content-type": "text/plain" })).body.toString()) as {
        captureId: string;
      }
    ).captureId;
    const firstOpen = await request(`${api}/api/captures/${plain}/body`, "GET", null, { cookie });
    const againOpen = await request(`${api}/api/captures/${plain}/body`, "GET", null, { cookie });

    console.log(`victim captures at ${RATE}/s for ${SECONDS} s each phase (one server, SQLite, ${os.cpus().length} cores)`);
    console.log(`  baseline (no hostile rule running): ${fmt(baseline.times)}  failed ${baseline.failed}`);
    console.log(`  during hostile rule (${HOSTILE_LANES} lanes): ${fmt(during.times)}  failed ${during.failed}`);
    console.log(
      `  during hostile headers (${HOSTILE_LANES} lanes, 14 KiB header values): ${fmt(duringHeaders.times)}  failed ${duringHeaders.failed}`,
    );
    console.log(`  hostile header captures answered: ${fmt(headerIngestMs)}; their detail views: ${fmt(headerViewMs)}`);
    console.log(
      `hostile endpoint (rule ${HOSTILE_RULE}, 256 KiB bodies, redact at ingest): ${stored} captures, ${withheld} stored without body (budget exceeded)`,
    );
    console.log(`  its captures answered: ${fmt(ingestMs)}`);
    console.log(`  its detail views: ${fmt(viewMs)}`);
    console.log(
      `  body download (not redacted at ingest): first ${firstOpen.ms.toFixed(0)} ms (${firstOpen.headers["x-hookscope-redaction"]}), again ${againOpen.ms.toFixed(0)} ms`,
    );
    for (const [label, times] of [
      ["bodies", during.times],
      ["header values", duringHeaders.times],
    ] as const) {
      const ok = pct(times, 99) <= 25;
      console.log(
        ok
          ? `target met: victim p99 ≤ 25 ms during the hostile rule over ${label}`
          : `TARGET MISSED: victim p99 > 25 ms during the hostile rule over ${label}`,
      );
    }
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
    agent.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
