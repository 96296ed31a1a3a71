// Hookscope: one process, two doors. The door thread (lib/door/door-thread.ts) owns the public
// port: /in/<token>[/…] goes to the raw capture door (any method, raw headers, exact bytes);
// everything else goes to the Next.js app, which runs here, on the main thread, with the live
// streams, forwarding and the sweeper. See docs/architecture.md.
import http from "node:http";
import next from "next";
import { config, ConfigError, type Config } from "./lib/config";
import { createDb, databaseTarget, keepPlannerStatistics, prepareDb } from "./lib/db/client";
import { migrateDatabase } from "./lib/db/migrate";
import { shared } from "./lib/runtime/shared";
import { signingSecret } from "./lib/runtime/secret";
import { log } from "./lib/runtime/log";
import { deleteExpiredEndpoints } from "./lib/endpoints/endpoints";
import { startJobRunner } from "./lib/jobs/runner";
import { registerSearchJobs } from "./lib/search/bulk-delete";
import { onForgetCaptureTarget } from "./lib/endpoints/capture-target";
import { Forwarder } from "./lib/replay/forwarder";
import { installLiveFeed } from "./lib/live/bus";
import { MirroredFeed } from "./lib/live/door-bridge";
import { DoorSupervisor, DRAIN_MS } from "./lib/door/supervisor";
import { endStreamsForShutdown, openStreamCount } from "./lib/http/sse";
import { observeGauges, serveMetrics } from "./lib/ops/metrics";
import type { DoorData } from "./lib/door/door-thread";
import { appSocket, removeStaleAppSocketDirs } from "./lib/door/app-socket";
import { internalError } from "./lib/runtime/node-response";
import { isSharePage, refuseLimitedSharePage } from "./lib/sharing/share-page-guard";
import { startCluster } from "./lib/cluster/cluster";
import { codeLayout, startWorker } from "./lib/runtime/worker-files";

// Built (dist/server.mjs) or from source (tsx server.ts): decided here, before the Next.js bundle's
// copy of lib/ asks (lib/runtime/worker-files.ts).
const { root } = codeLayout();

async function main() {
  let cfg: Config;
  try {
    cfg = config();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`hookscope: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  signingSecret();

  const target = databaseTarget();
  const applied = await migrateDatabase(target);
  if (applied.length) log().info({ applied }, "database migrated");
  const client = shared("db", () => createDb(target));
  await prepareDb(client, target);
  const stopStatistics = await keepPlannerStatistics(client, target);

  // The app listens on a private Unix socket; the door thread owns the public port and passes it
  // every request that is not a capture (lib/door/next-proxy.ts).
  removeStaleAppSocketDirs();
  const socket = appSocket();
  const nextSocket = socket.path;
  // Live subscribers are told to the door thread; captures it commits for them come back here.
  // Cluster mode (REDIS_URL): streams read every instance's captures; forwarding keeps this one's (lib/cluster).
  const mirror = new MirroredFeed();
  const cluster = cfg.REDIS_URL ? startCluster({ mirror, forgetOnDoor: (keys) => door.post({ forget: keys }) }) : null;
  installLiveFeed(() => cluster?.feed ?? mirror);
  const live = mirror;
  /** The app listens (a door thread started again after that is told at its start). */
  let appReady = false;
  const door = new DoorSupervisor({
    create: () => startWorker("door", { nextSocket, appReady } satisfies DoorData),
    onStart: (worker) => live.attach(worker),
    onMessage: (msg) => {
      if ("events" in msg) live.deliver(msg.events);
      else if ("ack" in msg) live.acknowledged(msg);
      else if ("committed" in msg) cluster?.committed(msg.committed);
    },
    onRestartFailed: (err) => {
      console.error(`hookscope: the door thread could not start again: ${err.message}`);
      process.exit(1);
    },
  });
  onForgetCaptureTarget((keys) => door.post({ forget: keys }));
  // Start-up: the door thread (its listener, the write worker, the capture path) starts while Next.js
  // prepares on this thread, one on each core. Until the app listens, the door answers app requests 503
  // (Retry-After) and /readyz 503 "starting": ready means captures AND pages are served.
  const doorStarting = door.start();
  doorStarting.catch(() => {}); // awaited below; a failure meanwhile is not an unhandled rejection
  // next-auth builds OAuth callback URLs from NEXTAUTH_URL: the configured public URL.
  if (cfg.PUBLIC_URL && !process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = cfg.PUBLIC_URL;
  const app = next({ dev: cfg.NEXT_DEV, dir: root, hostname: cfg.HOST, port: cfg.PORT });
  await app.prepare();
  const handleNext = app.getRequestHandler();

  // (Limits and timeouts are the door's; this hop only adds the client-address header.)
  const appServer = http.createServer(
    { requestTimeout: 0, keepAliveTimeout: 60_000, maxHeaderSize: cfg.MAX_HEADER_BYTES + 1024 },
    (req, res) => {
      if (req.url === "/metrics" && req.method === "GET") return serveMetrics(req, res, cfg.METRICS_TOKEN);
      // A share page waits for the unknown-link limit (shared in Redis in cluster mode); nothing else does.
      if (isSharePage(req)) {
        void refuseLimitedSharePage(req, res)
          .then((refused) => (refused ? undefined : handleNext(req, res)))
          .catch((err) => internalError(res, err));
        return;
      }
      void handleNext(req, res).catch((err) => internalError(res, err));
    },
  );
  if (cfg.NEXT_DEV) appServer.on("upgrade", (req, socket, head) => void app.getUpgradeHandler()(req, socket, head));
  await new Promise<void>((resolve, reject) => appServer.once("error", reject).listen(nextSocket, resolve));
  process.on("exit", socket.remove);

  appReady = true;
  door.post({ appReady: true });
  const listening = await doorStarting;
  log().info(
    { url: `http://${cfg.HOST}:${listening.port}`, port: listening.port, pid: process.pid, database: target.provider },
    "hookscope listening",
  );
  if (listening.capturePort !== null) log().info({ capturePort: listening.capturePort }, "capture door listening");

  // Expired anonymous endpoints (and their captures) are deleted in small batches, every
  // minute or sooner when the TTL is shorter.
  const sweepEvery = Math.min(60_000, Math.max(1000, Math.floor(cfg.ANON_ENDPOINT_TTL / 2)));
  const sweep = () =>
    deleteExpiredEndpoints()
      .then((n) => n && log().info({ deleted: n }, "expired endpoints deleted"))
      .catch((err) => log().warn({ err: (err as Error).message }, "expired-endpoint sweep failed"));
  // Cluster mode: one instance per period sweeps (a Redis lock), not every one.
  const sweeper = setInterval(() => void (cluster ? cluster.takeTurn("sweeper", sweepEvery, sweep) : sweep()), sweepEvery);
  sweeper.unref();

  // Automatic forwarding: listens to the capture bus, queues jobs off the capture door's path,
  // delivers them with retries (lib/replay/forwarder.ts).
  // The periodic catch-up (captures whose instance died before writing their jobs) runs on one instance per period.
  const forwarder = new Forwarder({
    catchUpMs: cfg.FORWARD_CATCHUP_MS,
    ...(cluster && { turn: (periodMs: number, work: () => Promise<void>) => cluster.takeTurn("forward-catchup", periodMs, work) }),
  });
  observeGauges({ sseSubscribers: openStreamCount, forwardQueue: () => forwarder.queued, forwardPending: () => forwarder.pending() });
  await forwarder.start().catch((err) => log().error({ err: (err as Error).message }, "forwarding did not start"));

  // Long bulk work (large clears, endpoint purges): resumes what a restart interrupted (lib/jobs/runner.ts).
  registerSearchJobs();
  const stopJobs = await startJobRunner({ alone: !cluster });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Live streams end first, each with a reconnect hint (lib/http/sse.ts); then the door stops
    // listening, answers the captures it is receiving or committing and lets app answers finish
    // (DRAIN_MS), and says so.
    const streams = endStreamsForShutdown();
    log().info({ signal, streams }, "shutting down");
    clearInterval(sweeper);
    await stopJobs().catch((err) => log().warn({ err: (err as Error).message }, "job runner: could not release its jobs"));
    stopStatistics();
    await door.stop(DRAIN_MS + 3000);
    await forwarder.stop().catch(() => {});
    appServer.close();
    await cluster?.stop().catch(() => {});
    await client.$disconnect().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  console.error(`hookscope: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
