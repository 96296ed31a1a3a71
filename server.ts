// Hookscope: one process, two doors. /in/<token>[/…] goes to the raw capture door (any method,
// raw headers, exact bytes); everything else goes to the Next.js app. See docs/architecture.md.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { config, ConfigError } from "./lib/config";
import { createDb, databaseTarget, prepareDb } from "./lib/db/client";
import { migrateDatabase } from "./lib/db/migrate";
import { shared } from "./lib/runtime/shared";
import { signingSecret } from "./lib/runtime/secret";
import { log } from "./lib/runtime/log";
import { CAPTURE_PREFIX, handleCapture } from "./lib/capture/ingest";
import { WriteThread } from "./lib/capture/write-thread";
import { CaptureWriter } from "./lib/capture/writer";
import { isBusyError } from "./lib/db/errors";
import { deleteExpiredEndpoints } from "./lib/endpoints/endpoints";
import { remoteAddress } from "./lib/capture/remote-addr";
import { CLIENT_IP_HEADER } from "./lib/auth/client-ip";
import { Forwarder } from "./lib/replay/forwarder";

const SHARE_PAGE = /^\/s\/([A-Za-z0-9_-]+)\/?(?:\?.*)?$/;
const root = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  let cfg;
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

  const writeThread = new WriteThread(new URL("./lib/capture/write-worker-boot.mjs", import.meta.url));
  await writeThread.ready();
  const writer = new CaptureWriter({
    insert: writeThread.insert,
    maxBatch: cfg.INGEST_BATCH_MAX,
    maxBatchBytes: 16 * 1024 * 1024,
    maxInflight: cfg.INGEST_MAX_INFLIGHT,
    // The write worker groups whatever is posted while it commits; the main thread never waits.
    pipeline: 64,
    eagerRows: 32,
    isBusy: isBusyError,
    onError: (err) => log().error({ err: (err as Error).message }, "capture commit failed"),
  });
  const door = { writer };

  // next-auth builds OAuth callback URLs from NEXTAUTH_URL: the configured public URL.
  if (cfg.PUBLIC_URL && !process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = cfg.PUBLIC_URL;
  const app = next({ dev: cfg.NEXT_DEV, dir: root, hostname: cfg.HOST, port: cfg.PORT });
  await app.prepare();
  const handleNext = app.getRequestHandler();

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
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify({ ok: true, pendingCaptures: writer.pending }));
  };

  const tryCapture = (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      handleCapture(req, res, door);
    } catch (err) {
      fail(res, err);
    }
  };

  const captureOrNext = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? "/";
    if (url.startsWith(CAPTURE_PREFIX)) return tryCapture(req, res);
    if (url === "/healthz") return health(res);
    // The dashboard's view of the client address (sign-in throttling, audit): set here from the
    // socket (or trusted proxy hops), never taken from the client.
    req.headers[CLIENT_IP_HEADER] = remoteAddress(req, cfg.TRUST_PROXY);
    // A share URL's JSON form: /s/<token> asked for with Accept: application/json is the share API.
    const share = SHARE_PAGE.exec(url);
    const accept = req.headers.accept ?? "";
    if (share && accept.includes("application/json") && !accept.includes("text/html")) req.url = `/api/share/${share[1]}`;
    return void handleNext(req, res).catch((err) => fail(res, err));
  };

  const fail = (res: http.ServerResponse, err: unknown) => {
    log().error({ err: (err as Error)?.message }, "unhandled request error");
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal", message: "Internal error." } }));
    } else res.destroy();
  };

  // "Expect: 100-continue": a capture whose declared body is over the limit is refused (413, recorded)
  // before the sender uploads it; everything else is told to continue at once.
  const checkContinue = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const oversized = (req.url ?? "").startsWith(CAPTURE_PREFIX) && Number(req.headers["content-length"] ?? 0) > cfg.MAX_BODY_BYTES;
    if (!oversized) res.writeContinue();
    captureOrNext(req, res);
  };

  const server = http.createServer(serverOptions, captureOrNext);
  server.on("checkContinue", checkContinue);
  await listen(server, cfg.PORT, cfg.HOST);
  const port = (server.address() as { port: number }).port;
  log().info({ url: `http://${cfg.HOST}:${port}`, port, pid: process.pid, database: target.provider }, "hookscope listening");

  let captureServer: http.Server | undefined;
  if (cfg.CAPTURE_PORT !== undefined) {
    // Capture-only origin: the dashboard is not served here, so its cookies never reach it.
    captureServer = http.createServer(serverOptions, (req, res) => {
      const url = req.url ?? "/";
      if (url.startsWith(CAPTURE_PREFIX)) return tryCapture(req, res);
      if (url === "/healthz") return health(res);
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "not_found", message: "Only capture URLs are served here." } }));
    });
    captureServer.on("checkContinue", checkContinue);
    await listen(captureServer, cfg.CAPTURE_PORT, cfg.HOST);
    const capturePort = (captureServer.address() as { port: number }).port;
    log().info({ capturePort }, "capture door listening");
  }

  // Expired anonymous endpoints (and their captures) are deleted in small batches, every
  // minute or sooner when the TTL is shorter.
  const sweepEvery = Math.min(60_000, Math.max(1000, Math.floor(cfg.ANON_ENDPOINT_TTL / 2)));
  const sweeper = setInterval(() => {
    deleteExpiredEndpoints()
      .then((n) => n && log().info({ deleted: n }, "expired endpoints deleted"))
      .catch((err) => log().warn({ err: (err as Error).message }, "expired-endpoint sweep failed"));
  }, sweepEvery);
  sweeper.unref();

  // Automatic forwarding: listens to the capture bus, queues jobs off the capture door's path,
  // delivers them with retries (lib/replay/forwarder.ts).
  const forwarder = new Forwarder();
  await forwarder.start().catch((err) => log().error({ err: (err as Error).message }, "forwarding did not start"));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log().info({ signal }, "shutting down");
    clearInterval(sweeper);
    server.close();
    captureServer?.close();
    server.closeIdleConnections();
    const until = Date.now() + 5000;
    while (writer.pending > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await forwarder.stop().catch(() => {});
    await writeThread.close().catch(() => {});
    await client.$disconnect().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

function listen(server: http.Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

main().catch((err) => {
  console.error(`hookscope: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
