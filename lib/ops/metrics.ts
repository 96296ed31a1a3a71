// Prometheus metrics (prom-client). Off unless METRICS_TOKEN is set; then GET /metrics with
// `Authorization: Bearer <METRICS_TOKEN>` answers the text format (404 when off, 401 otherwise).
// Each thread keeps its own registry with the same metric names (the door thread counts captures,
// write groups, commits, 429s and database errors; the main thread SSE subscribers, forwarding and
// the process figures); the main thread's /metrics asks the door thread for its registry over a
// BroadcastChannel and merges the two (prom-client's AggregatorRegistry: counters and histograms
// summed). The write worker adds one small record to the first reply of each commit (rows, ms):
// nothing is sent per capture. The Next.js bundle's copy reaches the same registry (runtime/shared.ts).
import "../runtime/server-only";
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { BroadcastChannel, isMainThread } from "node:worker_threads";
import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from "prom-client";
import { shared } from "../runtime/shared";

const gaugeProbes: { sse?: () => number; forward?: () => number; pending?: () => Promise<number> } = {};

function create() {
  const registry = new Registry();
  const m = {
    registry,
    captures: new Counter({
      name: "hookscope_captures_total",
      help: "Capture requests answered: outcome accepted (stored) or refused, with the refusal's code as reason.",
      labelNames: ["outcome", "reason"] as const,
      registers: [registry],
    }),
    writeGroupRows: new Histogram({
      name: "hookscope_write_group_rows",
      help: "Captures per write-worker commit.",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: "hookscope_commit_seconds",
      help: "Time of one write-worker commit (projection and insert, before the WAL sync).",
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "hookscope_rate_limited_total",
      help: "Requests answered 429, by door (capture or app).",
      labelNames: ["door"] as const,
      registers: [registry],
    }),
    databaseErrors: new Counter({
      name: "hookscope_database_errors_total",
      help: "Database work that failed: capture commits (storage unavailable, busy past the deadline, refused rows) and forwarding's (kind forwarding).",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    sseSubscribers: new Gauge({
      name: "hookscope_sse_subscribers",
      help: "Open live streams (SSE).",
      registers: [registry],
      collect() {
        if (gaugeProbes.sse) this.set(gaugeProbes.sse());
      },
    }),
    forwardQueue: new Gauge({
      name: "hookscope_forward_queue_depth",
      help: "Forwarding jobs queued in this process, not yet written to the database.",
      registers: [registry],
      collect() {
        if (gaugeProbes.forward) this.set(gaugeProbes.forward());
      },
    }),
    forwardPending: new Gauge({
      name: "hookscope_forward_jobs_pending",
      help: "Forwarding jobs waiting in the database (due, leased by an instance sending them, or waiting to retry): every instance's.",
      registers: [registry],
      async collect() {
        if (gaugeProbes.pending) this.set(await gaugeProbes.pending().catch(() => Number.NaN));
      },
    }),
    redisErrors: new Counter({
      name: "hookscope_redis_errors_total",
      help: "Cluster mode: Redis connection errors (kind connection, by role) and commands that failed and took their fallback (kind command).",
      labelNames: ["kind", "role"] as const,
      registers: [registry],
    }),
    forwardAttempts: new Counter({
      name: "hookscope_forward_attempts_total",
      help: "Forwarding tries, by result (delivered, retry, failed).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
  };
  if (isMainThread) collectDefaultMetrics({ register: registry, prefix: "hookscope_" });
  return m;
}

export type Metrics = ReturnType<typeof create>;

/** Read at each scrape on the main thread (server.ts): open live streams, forwarding jobs queued here and pending in the database. */
export function observeGauges(probes: { sseSubscribers(): number; forwardQueue(): number; forwardPending?(): Promise<number> }): void {
  gaugeProbes.sse = probes.sseSubscribers;
  gaugeProbes.forward = probes.forwardQueue;
  gaugeProbes.pending = probes.forwardPending;
}

/** This thread's metrics (one registry per thread; the main thread's copies share one). */
export function metrics(): Metrics {
  return shared("metrics", create);
}

const CHANNEL = "hookscope-metrics";
type Ask = { ask: number };
type Snapshot = MetricObjectWithValues<MetricValue<string>>[];
type Answer = { answer: number; metrics: Snapshot };

/** The door thread answers the main thread's requests for its registry. */
export function answerMetricsRequests(): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (ev) => {
    const msg = (ev as { data: Ask | Answer }).data;
    if (!("ask" in msg)) return;
    void metrics()
      .registry.getMetricsAsJSON()
      .then((json) => channel.postMessage({ answer: msg.ask, metrics: json } satisfies Answer));
  };
  (channel as unknown as { unref(): void }).unref();
  return () => channel.close();
}

let asked = 0;
/** This thread's registry and the door thread's (if it answers within 1 s), merged. */
async function collect(): Promise<string> {
  const id = ++asked;
  const channel = new BroadcastChannel(CHANNEL);
  const door = new Promise<Snapshot | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 1000);
    channel.onmessage = (ev) => {
      const msg = (ev as { data: Ask | Answer }).data;
      if ("answer" in msg && msg.answer === id) {
        clearTimeout(timer);
        resolve(msg.metrics);
      }
    };
  });
  channel.postMessage({ ask: id } satisfies Ask);
  try {
    const [own, other] = await Promise.all([metrics().registry.getMetricsAsJSON(), door]);
    return AggregatorRegistry.aggregate(other ? [own, other] : [own]).metrics();
  } finally {
    channel.close();
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/i.exec(header ?? "");
  if (!m) return false;
  const given = Buffer.from(m[1]!.trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** GET /metrics on the main thread (server.ts, ahead of Next.js). */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): void {
  const json = (status: number, code: string, message: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", ...extra });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  if (!token) {
    json(404, "not_found", "Not found.");
    return;
  }
  if (!tokenMatches(req.headers.authorization, token)) {
    json(401, "unauthorized", "A valid metrics token is required.", { "WWW-Authenticate": 'Bearer realm="metrics"' });
    return;
  }
  collect().then(
    (text) => {
      res.writeHead(200, { "Content-Type": metrics().registry.contentType, "Cache-Control": "no-store" });
      res.end(text);
    },
    () => json(500, "internal", "Internal error."),
  );
}
