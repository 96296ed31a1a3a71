// Load generation for the scale benchmark, over plain node:http with keep-alive agents: the sample
// sent through the real capture door, a fixed-rate sender (open loop: each request's latency is
// counted from its due time, so a stalled server is not hidden by requests that were never sent),
// and timing helpers.
import http from "node:http";
import type { Corpus } from "./corpus";

export interface Stats {
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function stats(times: number[]): Stats {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : Number.NaN);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50Ms: r(at(0.5)), p95Ms: r(at(0.95)), p99Ms: r(at(0.99)), maxMs: r(s[s.length - 1] ?? Number.NaN) };
}

interface Sent {
  status: number;
  ms: number;
}

function send(
  url: URL,
  agent: http.Agent,
  method: string,
  headers: [string, string][],
  body: Buffer,
  localAddress?: string,
): Promise<Sent> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent,
        localAddress,
        // Given as a list (wire order and case kept), node:http adds neither Host nor Content-Length.
        headers: [["Host", url.host], ...headers, ["Content-Length", String(body.length)]].flat(),
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
        res.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
      },
    );
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

/** Headers the client sends itself (Host, Content-Length) are left to node:http. */
const sentByClient = new Set(["host", "content-length", "connection"]);

/**
 * Sends `count` requests of the corpus to `/in/<token><path>?<query>` through the capture door,
 * `concurrency` at a time, from loopback addresses 127.0.0.2-127.0.0.41 (so `remoteAddr` varies).
 */
export async function sendThroughDoor(base: string, token: string, corpus: Pick<Corpus, "next">, count: number, concurrency = 8) {
  const agents = Array.from({ length: 40 }, () => new http.Agent({ keepAlive: true, maxSockets: 2 }));
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const req = corpus.next();
      // A corpus "refused" row is an upload over the limit: through the door it is just sent whole.
      const url = new URL(`${base}/in/${token}${req.path}${req.query ? `?${req.query}` : ""}`);
      const headers = req.headers.filter(([k]) => !sentByClient.has(k.toLowerCase()));
      const r = await send(url, agents[i % 40]!, req.method, headers, req.body, `127.0.0.${2 + (i % 40)}`);
      times.push(r.ms);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  for (const a of agents) a.destroy();
  return { count, ms: Math.round(performance.now() - started), latency: stats(times), statuses };
}

interface Answer {
  /** performance.now() at which the request was due. */
  dueAt: number;
  ms: number;
  status: number;
}

/** Latency and failures of the answers due between `from` and `to` (performance.now() times). */
export function summarize(answers: readonly Answer[], from = -Infinity, to = Infinity) {
  const inside = answers.filter((a) => a.dueAt >= from && a.dueAt <= to);
  const statuses: Record<string, number> = {};
  for (const a of inside) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const non2xx = inside.filter((a) => a.status < 200 || a.status > 299).length;
  return { sent: inside.length, non2xx, statuses, latency: stats(inside.map((a) => a.ms)) };
}

/** A running fixed-rate sender of ~1 KB JSON captures; `stop()` ends it and returns every answer. */
export function fixedRate(base: string, token: string, ratePerSecond: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(`${base}/in/${token}/hooks/other`);
  const body = Buffer.from(JSON.stringify({ type: "heartbeat", note: "x".repeat(960) }));
  const headers: [string, string][] = [
    ["Content-Type", "application/json"],
    ["User-Agent", "scale-bench"],
  ];
  const answers: Answer[] = [];
  const inflight = new Set<Promise<void>>();
  const started = performance.now();
  let due = 0;
  const interval = 1000 / ratePerSecond;
  const tick = () => {
    const now = performance.now() - started;
    while (due * interval <= now) {
      const dueAt = started + due * interval;
      due++;
      const p = send(url, agent, "POST", headers, body).then((r) => {
        // Latency from the due time: time a request spent waiting for a free socket counts.
        answers.push({ dueAt, ms: performance.now() - dueAt, status: r.status });
        inflight.delete(p);
      });
      inflight.add(p);
    }
  };
  const timer = setInterval(tick, 2);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inflight);
      agent.destroy();
      return { rate: ratePerSecond, seconds: Math.round((performance.now() - started) / 100) / 10, answers };
    },
  };
}

/** Runs `fn` `reps` times (or until `budgetMs` is spent, at least `minReps`), returns the timings and the last answer. */
export async function repeat<T>(reps: number, fn: (i: number) => Promise<T>, budgetMs = 60_000, minReps = 5) {
  const times: number[] = [];
  let last: T | undefined;
  const started = performance.now();
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    last = await fn(i);
    times.push(performance.now() - t);
    if (i + 1 >= minReps && performance.now() - started > budgetMs) break;
  }
  return { stats: stats(times), last: last as T };
}
