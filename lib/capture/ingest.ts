// The capture door: a plain node:http handler ahead of Next.js, so any method Node accepts is
// recorded and headers come from rawHeaders (wire order, case, duplicates). The body is kept as
// the exact bytes, counted while streaming against MAX_BODY_BYTES. The sender is answered only
// after its row is committed; if storage cannot commit in time the answer is 503 + Retry-After.
import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "../config";
import { livePublisher } from "../live/bus";
import { cachedCaptureTarget, findCaptureTarget, type CaptureTarget } from "../endpoints/capture-target";
import { servingOriginOf, servingOrigins } from "../endpoints/response-header-policy";
import { newCaptureId } from "../runtime/ids";
import { now as clock } from "../runtime/clock";
import { clip, log } from "../runtime/log";
import { remoteAddress } from "./remote-addr";
import { drainRequest } from "./drain";
import { maskAtIngest } from "./mask-at-ingest";
import { respondWithRule } from "./respond";
import { summaryOf } from "../live/event";
import type { HeaderPairs, NewCapture } from "../model/capture";
import type { StorageUnavailableError, CaptureWriter } from "./write/writer";
import { internalError as answerInternalError, refuse, requestIdOf } from "../runtime/node-response";

export const CAPTURE_PREFIX = "/in/";
const RETRY_AFTER_SECONDS = "5";

interface ParsedTarget {
  key: string;
  path: string;
  query: string;
}

/** Splits "/in/<token>/sub/path?q" without decoding anything: the stored path stays raw. */
export function parseCaptureUrl(url: string): ParsedTarget | null {
  if (!url.startsWith(CAPTURE_PREFIX)) return null;
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rest = rawPath.slice(CAPTURE_PREFIX.length);
  const slash = rest.indexOf("/");
  const key = slash < 0 ? rest : rest.slice(0, slash);
  if (!key) return null;
  return { key, path: slash < 0 ? "" : rest.slice(slash), query: q < 0 ? "" : url.slice(q + 1) };
}

function headerPairs(raw: string[]): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

type BodyResult = { kind: "ok"; body: Buffer } | { kind: "too_large"; received: number } | { kind: "busy" } | { kind: "aborted" };

/**
 * Body bytes held by captures in flight (being read or waiting for their commit), bounded by
 * INGEST_MAX_BUFFER_BYTES: the in-flight limit counts requests, and 100 uploads of 10 MiB held
 * 3.7 GB. A capture that would pass the bound is answered 503 server_busy and not stored.
 */
let bufferedBytes = 0;
export const ingestBufferedBytes = (): number => bufferedBytes;

function release(x: Exchange) {
  bufferedBytes -= x.held;
  x.held = 0;
}

// The body is read with module-level listeners that find their exchange on the request: no
// closure per capture. (The server runs through tsx, whose esbuild transform names every function
// stored in a variable with an Object.defineProperty call: three per capture cost ~4% of the
// door's thread.)
const EXCHANGE = Symbol("hookscope.capture.exchange");
type CaptureRequest = IncomingMessage & { [EXCHANGE]?: Exchange };

/** Reads the body with a byte counter against `limit`; received() is called once. */
function readBody(x: Exchange): void {
  const req = x.req as CaptureRequest;
  req[EXCHANGE] = x;
  req.on("data", onBodyData);
  req.on("end", onBodyEnd);
  // A sender that goes away mid-body: "aborted" is always followed by "close".
  req.on("error", onBodyGone);
  req.on("close", onBodyGone);
}

function onBodyData(this: CaptureRequest, chunk: Buffer) {
  const x = this[EXCHANGE]!;
  if (x.bodyRead) return;
  x.size += chunk.length;
  const bound = config().INGEST_MAX_BUFFER_BYTES;
  if (bound > 0 && x.size <= x.limit && bufferedBytes + chunk.length > bound) {
    x.chunks.length = 0;
    return bodyRead(x, { kind: "busy" });
  }
  bufferedBytes += chunk.length;
  x.held += chunk.length;
  if (x.size > x.limit) {
    x.chunks.length = 0;
    return bodyRead(x, { kind: "too_large", received: x.size });
  }
  x.chunks.push(chunk);
}

function onBodyEnd(this: CaptureRequest) {
  const x = this[EXCHANGE]!;
  bodyRead(x, { kind: "ok", body: x.chunks.length === 1 ? x.chunks[0]! : Buffer.concat(x.chunks, x.size) });
}

function onBodyGone(this: CaptureRequest) {
  bodyRead(this[EXCHANGE]!, { kind: "aborted" });
}

function bodyRead(x: Exchange, result: BodyResult) {
  if (x.bodyRead) return;
  x.bodyRead = true;
  if (result.kind !== "ok") release(x);
  try {
    received(x, result);
  } catch (err) {
    internalError(x.res, err);
  }
}

let origins: ReturnType<typeof servingOrigins> | undefined;

export interface CaptureDoor {
  writer: CaptureWriter;
  /** The listener this door serves: only the CAPTURE_PORT one can be an origin of its own (default "dashboard"). */
  listener?: "dashboard" | "capture";
}

/** Keep-alive senders send many captures over one socket: its address is parsed once. */
const peerAddresses = new WeakMap<object, string>();

function senderAddress(req: IncomingMessage, trustedHops: number): string {
  if (trustedHops !== 0) return remoteAddress(req, trustedHops);
  const socket = req.socket;
  let address = peerAddresses.get(socket);
  if (address === undefined) {
    address = remoteAddress(req, 0);
    if (socket.remoteAddress) peerAddresses.set(socket, address);
  }
  return address;
}

const internalError = (res: ServerResponse, err: unknown) => answerInternalError(res, err, "capture: unhandled error");

/**
 * The capture door. It runs once per captured request, so its common path (endpoint in the cache,
 * no redaction at ingest) is plain callbacks: no promise and no timer per capture (with Next.js's
 * async hooks enabled in the same process, each of those costs a hook call as well).
 */
export function handleCapture(req: IncomingMessage, res: ServerResponse, door: CaptureDoor): void {
  const receivedAt = clock();
  const target = parseCaptureUrl(req.url ?? "");
  if (!target) {
    req.resume();
    refuse(res, "unknown_endpoint", "No capture endpoint at this URL.");
    return;
  }
  const x: Exchange = {
    req,
    res,
    door,
    target,
    receivedAt,
    endpoint: null,
    declared: NaN,
    limit: 0,
    chunks: [],
    size: 0,
    held: 0,
    bodyRead: false,
  };
  const cached = cachedCaptureTarget(target.key);
  if (cached !== undefined) {
    withEndpoint(x, cached);
    return;
  }
  findCaptureTarget(target.key).then(
    (endpoint) => {
      try {
        withEndpoint(x, endpoint);
      } catch (err) {
        internalError(res, err);
      }
    },
    (err: unknown) => {
      log().error({ err: (err as Error).message, requestId: requestIdOf(res) }, "capture: endpoint lookup failed");
      req.resume();
      refuse(res, "storage_unavailable", "Storage is unavailable; retry later.", { "Retry-After": RETRY_AFTER_SECONDS });
    },
  );
}

/** One captured request on its way through the door. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  door: CaptureDoor;
  target: ParsedTarget;
  receivedAt: number;
  endpoint: CaptureTarget | null;
  /** Content-Length as declared (NaN when absent). */
  declared: number;
  limit: number;
  /** The body so far, and its size; bodyRead once received() has been called. */
  chunks: Buffer[];
  size: number;
  /** Bytes of this body counted in bufferedBytes. */
  held: number;
  bodyRead: boolean;
}

function withEndpoint(x: Exchange, endpoint: CaptureTarget | null): void {
  const { req, res } = x;
  if (!endpoint) {
    req.resume();
    refuse(res, "unknown_endpoint", "No capture endpoint at this URL.");
    return;
  }
  x.endpoint = endpoint;
  x.limit = config().MAX_BODY_BYTES;
  x.declared = Number(req.headers["content-length"] ?? NaN);
  const bound = config().INGEST_MAX_BUFFER_BYTES;
  if (x.declared > x.limit) bodyRead(x, { kind: "too_large", received: 0 });
  else if (bound > 0 && bufferedBytes + x.declared > bound) bodyRead(x, { kind: "busy" });
  else readBody(x);
}

function received(x: Exchange, result: BodyResult): void {
  if (result.kind === "aborted") return; // the sender gave up before finishing: nothing to answer
  const { req, res, target, receivedAt, declared } = x;
  if (result.kind === "busy") {
    // Nothing is stored; the rest of the upload is read and discarded (not held) so the sender reads the 503.
    res.shouldKeepAlive = false;
    const message = "The server is holding as many request bodies as it may; retry shortly.";
    void drainRequest(req, false).then(() => refuse(res, "server_busy", message, { "Retry-After": "1" }));
    return;
  }
  const endpoint = x.endpoint!;
  const cfg = config();
  const id = newCaptureId();
  const contentType = req.headers["content-type"];
  const body = result.kind === "ok" ? result.body : Buffer.alloc(0);
  const rejected = result.kind === "too_large" ? "body_too_large" : null;
  const row: NewCapture = {
    id,
    endpointId: endpoint.endpointId,
    receivedAt,
    method: req.method ?? "GET",
    path: target.path,
    query: target.query,
    httpVersion: req.httpVersion,
    headers: headerPairs(req.rawHeaders),
    body,
    bodySize: result.kind === "ok" ? body.length : Math.max(result.received, Number.isFinite(declared) ? declared : 0),
    bodySha256: result.kind === "ok" ? null : "",
    contentType: typeof contentType === "string" ? contentType : null,
    remoteAddr: senderAddress(req, cfg.TRUST_PROXY),
    rejected,
    responseStatus: rejected ? 413 : endpoint.rule.status,
    durationMs: 0,
  };

  let drained: Promise<boolean> | null = null;
  if (rejected) {
    drained = drainRequest(
      req,
      result.kind === "too_large" && result.received === 0 && /100-continue/i.test(String(req.headers.expect ?? "")),
    );
  }
  if (endpoint.ingestRedaction && !rejected) {
    maskAtIngest(row, endpoint.ingestRedaction).then(
      () => store(x, row, null),
      (err: unknown) => {
        release(x);
        internalError(res, err);
      },
    );
  } else store(x, row, drained);
}

/** `drained`: for a refused upload, when the rest of its body has been read (the 413 waits for it). */
function store(x: Exchange, row: NewCapture, drained: Promise<boolean> | null): void {
  row.durationMs = clock() - row.receivedAt;
  x.door.writer.enqueue(row, row.receivedAt + config().INGEST_DEADLINE_MS, (err, seq) => {
    release(x);
    try {
      if (err) refused(x, row, err, drained);
      else committed(x, row, seq, drained);
    } catch (e) {
      internalError(x.res, e);
    }
  });
}

/** The 413 for a refused upload, once its body has been drained; `recordedAs` when the attempt was stored. */
function tooLarge(res: ServerResponse, drained: Promise<boolean>, recordedAs: string | null) {
  const limit = `The body is larger than this endpoint accepts (${config().MAX_BODY_BYTES} bytes)`;
  const message = recordedAs ? `${limit}; the attempt was recorded as ${recordedAs}.` : `${limit}.`;
  void drained.then((ended) => {
    // Read to its end, the connection can serve a request pipelined after this one; otherwise the
    // rest of the upload is still coming (or was never sent) and the connection closes after the 413.
    if (!ended) res.shouldKeepAlive = false;
    refuse(res, "body_too_large", message);
  });
}

function refused(x: Exchange, row: NewCapture, err: StorageUnavailableError, drained: Promise<boolean> | null) {
  log().warn({ reason: err.reason, endpointId: row.endpointId, requestId: requestIdOf(x.res) }, "capture refused: storage unavailable");
  if (row.rejected === "body_too_large") return tooLarge(x.res, drained!, null);
  refuse(x.res, "storage_unavailable", "The request could not be stored; retry later.", { "Retry-After": RETRY_AFTER_SECONDS });
}

function committed(x: Exchange, row: NewCapture, seq: number, drained: Promise<boolean> | null) {
  const live = livePublisher();
  if (live.hasSubscribers(row.endpointId)) live.publish(summaryOf(row, seq));
  if (row.rejected === "body_too_large") {
    log().info({ endpointId: row.endpointId, method: clip(row.method), requestId: requestIdOf(x.res) }, "capture refused: body too large");
    return tooLarge(x.res, drained!, row.id);
  }
  const cfg = config();
  const rule = x.endpoint!.rule;
  origins ??= servingOrigins(cfg);
  const at = servingOriginOf(origins, x.door.listener ?? "dashboard", x.req.headers.host);
  const delay = Math.min(rule.delayMs, cfg.MAX_RESPONSE_DELAY_MS);
  if (delay > 0) setTimeout(() => respondWithRule(x.res, rule, row.id, at), delay);
  else respondWithRule(x.res, rule, row.id, at);
}
