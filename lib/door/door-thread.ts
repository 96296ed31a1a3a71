// The door thread: the public HTTP listener. /in/<token>[/…] goes to the raw capture door (any
// method, raw headers, exact bytes, answered after the commit); everything else is passed to the
// Next.js app on the main thread (lib/door/next-proxy.ts). The capture door runs here, not beside
// Next.js, because Next.js enables async hooks for its request-scoped storage: on its thread every
// async resource (each write, tick and promise of every capture) paid for them, about a tenth of
// the door's time (docs/architecture.md).
import "../runtime/server-only";
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { config } from "../config";
import { databaseTarget, sqlitePragmas } from "../db/adapter";
import { captureAdapter, rawRows } from "../db/capture-adapter";
import { APPLIED_MIGRATIONS_SQL } from "../db/migration-state";
import { log } from "../runtime/log";
import { CAPTURE_PREFIX, handleCapture, ingestBufferedBytes } from "../capture/ingest";
import { WriteThread } from "../capture/write/write-thread";
import { CaptureWriter } from "../capture/write/writer";
import { isBusyError } from "../db/errors";
import { remoteAddress } from "../capture/remote-addr";
import { CLIENT_IP_HEADER } from "../auth/client-ip";
import { forgetCaptureKeys } from "../endpoints/capture-target";
import { installLivePublisher } from "../live/bus";
import { ClusterDoorPublisher, DoorPublisher, type FromDoor, type ToDoor } from "../live/door-bridge";
import { NextProxy } from "./next-proxy";
import { DRAIN_MS } from "./supervisor";
import { sharePageToken } from "../sharing/share-path";
import { internalError, refusalOf, refuse, requestIdHeader, setRequestId } from "../runtime/node-response";
import { answerMetricsRequests, metrics } from "../ops/metrics";
import { answerClientError } from "./client-errors";
import { startWorker } from "../runtime/worker-files";
import { readiness } from "../ops/readiness";
import { REQUEST_ID_HEADER, requestIdFor } from "../ops/request-id";

/** appReady: the app on the main thread listens (a door started again later); else it says so ({ appReady }). */
export type DoorData = { nextSocket: string; appReady: boolean };

const port = parentPort;
if (!port) throw new Error("door-thread must run in a worker thread");
const { nextSocket } = workerData as DoorData;
/** The app (Next.js, main thread) listens: until then /readyz answers 503 "starting" (server.ts starts both at once). */
let appReady = (workerData as DoorData).appReady;
const send = (msg: FromDoor) => port.postMessage(msg);

// Committed captures of endpoints with live subscribers go to the main thread's feed (in cluster
// mode, every commit's [endpointId, seq] too, for the other instances).
const live = installLivePublisher(() => (config().REDIS_URL ? new ClusterDoorPublisher(port) : new DoorPublisher(port)));

async function main() {
  const cfg = config();
  const target = databaseTarget();
  // Its database reads (capture targets, /readyz) go through the driver adapter, not a Prisma client
  // (lib/endpoints/capture-target.ts); on SQLite its connection gets the same settings as the server's.
  const adapter = await captureAdapter();
  if (target.provider === "sqlite") for (const pragma of [...sqlitePragmas(), "PRAGMA wal_autocheckpoint = 0"]) await rawRows(pragma, []);
  const appliedMigrations = () => rawRows(APPLIED_MIGRATIONS_SQL, []).then((rows) => rows.map((r) => String(r[0])));

  const writeThread = new WriteThread(() => startWorker("write"));
  await writeThread.ready();
  const writer = new CaptureWriter({
    insert: writeThread.insert,
    maxBatch: cfg.INGEST_BATCH_MAX,
    maxBatchBytes: 16 * 1024 * 1024,
    maxInflight: cfg.INGEST_MAX_INFLIGHT,
    // The write worker groups whatever is posted while it commits; this thread never waits.
    pipeline: 64,
    eagerRows: 32,
    isBusy: isBusyError,
    onError: (err) => {
      metrics().databaseErrors.inc({ kind: isBusyError(err) ? "busy" : "failed" });
      log().error({ err: (err as Error).message }, "capture commit failed");
    },
  });
  const door = { writer };
  const app = new NextProxy(nextSocket);
  answerMetricsRequests();

  const serverOptions: http.ServerOptions = {
    maxHeaderSize: cfg.MAX_HEADER_BYTES,
    headersTimeout: cfg.HEADERS_TIMEOUT_MS,
    requestTimeout: cfg.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: 5000,
    // How often Node checks headersTimeout/requestTimeout (default 30 s): slow senders are cut
    // within about a second of their deadline, not up to 30 s later.
    connectionsCheckingInterval: 1000,
  };

  const health = (res: http.ServerResponse) => {
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store", ...requestIdHeader(res) });
    res.end(JSON.stringify({ ok: true, pendingCaptures: writer.pending, bufferedBodyBytes: ingestBufferedBytes() }));
  };

  // Draining (SIGTERM): the listeners are closed, /readyz says so, and every answer still given on
  // a kept-alive connection closes it, so clients and proxies reconnect elsewhere.
  let draining = false;
  /** Requests being answered: captures (until their ack is sent) and app requests (live streams included). */
  const inflight = { captures: new Set<http.ServerResponse>(), app: new Set<http.ServerResponse>() };
  const counted = metrics();
  const track = (res: http.ServerResponse, kind: keyof typeof inflight) => {
    inflight[kind].add(res);
    res.once("close", () => inflight[kind].delete(res));
    res.once("finish", () => {
      if (res.statusCode === 429) counted.rateLimited.inc({ door: kind === "captures" ? "capture" : "app" });
      if (kind !== "captures") return;
      const refused = refusalOf(res);
      if (refused) counted.captures.inc({ outcome: "refused", reason: refused });
      else counted.captures.inc({ outcome: "accepted", reason: "" });
    });
    if (draining) res.shouldKeepAlive = false;
  };
  const ready = (res: http.ServerResponse) => {
    readiness({ appliedMigrations, provider: target.provider, redisUrl: cfg.REDIS_URL, draining, starting: !appReady }).then(
      (notReady) => {
        const body = notReady.length ? { ready: false, reasons: notReady } : { ready: true };
        res.writeHead(notReady.length ? 503 : 200, {
          "Content-Type": "application/json",
          "Cache-Control": "no-store",
          ...requestIdHeader(res),
          ...(notReady.length && { "Retry-After": "5" }),
        });
        res.end(JSON.stringify(body));
      },
      (err) => internalError(res, err),
    );
  };

  // The capture-only listener's door: a rule's origin-wide headers are sent only there (response-header-policy.ts).
  const captureDoor = { writer, listener: "capture" as const };
  const tryCapture = (req: http.IncomingMessage, res: http.ServerResponse, via = door) => {
    try {
      handleCapture(req, res, via);
    } catch (err) {
      internalError(res, err);
    }
  };

  /** Every exchange gets its request id first (lib/ops/request-id.ts). */
  const identify = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const id = requestIdFor(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = id;
    setRequestId(res, id);
  };

  const captureOrApp = (req: http.IncomingMessage, res: http.ServerResponse) => {
    identify(req, res);
    const url = req.url ?? "/";
    if (url.startsWith(CAPTURE_PREFIX)) {
      track(res, "captures");
      return tryCapture(req, res);
    }
    if (url === "/healthz") return health(res);
    if (url === "/readyz") return ready(res);
    track(res, "app");
    // The dashboard's view of the client address (sign-in throttling, audit): set here from the
    // socket (or trusted proxy hops), never taken from the client.
    req.headers[CLIENT_IP_HEADER] = remoteAddress(req, cfg.TRUST_PROXY);
    // A share URL's JSON form: /s/<token> asked for with Accept: application/json is the share API.
    const share = sharePageToken(url);
    const accept = req.headers.accept ?? "";
    if (share && accept.includes("application/json") && !accept.includes("text/html")) req.url = `/api/share/${share}`;
    try {
      app.forward(req, res);
    } catch (err) {
      internalError(res, err);
    }
  };

  // "Expect: 100-continue": a capture whose declared body is over the limit is refused (413, recorded)
  // before the sender uploads it; everything else is told to continue at once.
  const checkContinue = (handle: http.RequestListener) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const oversized = (req.url ?? "").startsWith(CAPTURE_PREFIX) && Number(req.headers["content-length"] ?? 0) > cfg.MAX_BODY_BYTES;
    if (!oversized) res.writeContinue();
    handle(req, res);
  };

  const server = http.createServer(serverOptions, captureOrApp);
  // Node's default maxHeadersCount (2,000 raw entries: 1,000 headers) dropped the rest of a
  // capture's headers silently; 0 keeps all of them, still bounded by maxHeaderSize (431 above it).
  server.maxHeadersCount = 0;
  server.on("clientError", answerClientError);
  server.on("checkContinue", checkContinue(captureOrApp));
  // The development server's hot reload is a WebSocket; production has no upgrades (a capture
  // that asks for one is recorded like any other request).
  if (cfg.NEXT_DEV) server.on("upgrade", (req, socket, head) => app.upgrade(req, socket, head));
  await listen(server, cfg.PORT, cfg.HOST);

  let captureServer: http.Server | undefined;
  if (cfg.CAPTURE_PORT !== undefined) {
    // Capture-only origin: the dashboard is not served here, so its cookies never reach it.
    const captureOnly = (req: http.IncomingMessage, res: http.ServerResponse) => {
      identify(req, res);
      const url = req.url ?? "/";
      if (url.startsWith(CAPTURE_PREFIX)) {
        track(res, "captures");
        return tryCapture(req, res, captureDoor);
      }
      if (url === "/healthz") return health(res);
      if (url === "/readyz") return ready(res);
      refuse(res, "not_found", "Only capture URLs are served here.");
    };
    captureServer = http.createServer(serverOptions, captureOnly);
    captureServer.maxHeadersCount = 0;
    captureServer.on("clientError", answerClientError);
    // (It was the dashboard's handler: a 100-continue request here reached the dashboard.)
    captureServer.on("checkContinue", checkContinue(captureOnly));
    await listen(captureServer, cfg.CAPTURE_PORT, cfg.HOST);
  }

  const stop = async () => {
    draining = true;
    for (const res of [...inflight.captures, ...inflight.app]) if (!res.headersSent) res.shouldKeepAlive = false;
    server.close();
    captureServer?.close();
    server.closeIdleConnections();
    captureServer?.closeIdleConnections();
    // Captures being received or committed are answered (after their commit); app answers (live
    // streams, which the main thread is ending with a reconnect hint) finish; within DRAIN_MS.
    const until = Date.now() + DRAIN_MS;
    while ((writer.pending > 0 || inflight.captures.size > 0 || inflight.app.size > 0) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (inflight.captures.size || inflight.app.size) {
      log().warn({ captures: inflight.captures.size, app: inflight.app.size }, "drain ended with requests still open");
    }
    app.close();
    await writeThread.close().catch(() => {});
    await adapter.dispose().catch(() => {});
    send({ stopped: true });
  };

  port!.on("message", (msg: ToDoor) => {
    if (live.handle(msg)) return;
    if ("forget" in msg) forgetCaptureKeys(msg.forget);
    else if ("stop" in msg) void stop();
    else if ("appReady" in msg) appReady = true;
  });

  send({
    listening: {
      port: (server.address() as { port: number }).port,
      capturePort: captureServer ? (captureServer.address() as { port: number }).port : null,
    },
  });
}

function listen(server: http.Server, portNumber: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(portNumber, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

// A failure to start (a port in use, say) fails this thread; the main thread reports it and stops.
await main();
