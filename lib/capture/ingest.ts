// The capture door: a plain node:http handler ahead of Next.js, so any method Node accepts is
// recorded and headers come from rawHeaders (wire order, case, duplicates). The body is kept as
// the exact bytes, counted while streaming against MAX_BODY_BYTES. The sender is answered only
// after its row is committed; if storage cannot commit in time the answer is 503 + Retry-After.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "../config";
import { bus } from "../realtime/bus";
import { findCaptureTarget } from "../endpoints/capture-target";
import type { ResponseRule } from "../endpoints/response-rule";
import { newCaptureId } from "../runtime/ids";
import { clip, log } from "../runtime/log";
import { remoteAddress } from "./remote-addr";
import { summaryOf } from "./store";
import type { HeaderPairs, NewCapture } from "./types";
import { redactBody, redactHeaders, redactQuery, VALUE_MASK } from "../redaction/mask";
import { contentEncodings, decodeForViewing } from "./decode";
import zlib from "node:zlib";
import { promisify } from "node:util";
import type { RedactionRule } from "../redaction/rules";
import { StorageUnavailableError, type CaptureWriter } from "./writer";

export const CAPTURE_PREFIX = "/in/";
const RETRY_AFTER_SECONDS = "5";
/**
 * A refused oversized upload is read and discarded (so the sender, still writing, can read the
 * 413 instead of a reset) until it ends, stalls for DRAIN_IDLE_MS, or passes DRAIN_MAX_BYTES.
 */
const DRAIN_IDLE_MS = 2000;
const DRAIN_MAX_BYTES = 256 * 1024 * 1024;

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

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...extra,
  });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  sendJson(res, status, { error: { code, message } }, extra);
}

type BodyResult = { kind: "ok"; body: Buffer } | { kind: "too_large"; received: number } | { kind: "aborted" };

function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: "too_large", received: size });
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => finish({ kind: "ok", body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    req.on("aborted", () => finish({ kind: "aborted" }));
    req.on("error", () => finish({ kind: "aborted" }));
    req.on("close", () => finish({ kind: "aborted" }));
  });
}

function drainThenClose(req: IncomingMessage) {
  req.removeAllListeners("data");
  let drained = 0;
  let timer = setTimeout(() => req.socket.destroy(), DRAIN_IDLE_MS);
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    clearTimeout(timer);
    if (drained > DRAIN_MAX_BYTES) return void req.socket.destroy();
    timer = setTimeout(() => req.socket.destroy(), DRAIN_IDLE_MS);
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
}

/**
 * Redact at ingest (an endpoint option): the stored header values, query and body are the masked
 * ones, so secrets never reach the database; size and sha256 describe the stored bytes. A
 * compressed body is decoded (bounded), masked and compressed again with the same codings, so
 * the stored bytes are still what the headers say they are. Signatures can then no longer be
 * verified (the UI says so where the option is switched on).
 */
async function maskAtIngest(row: NewCapture, rules: readonly RedactionRule[]) {
  row.headers = redactHeaders(row.headers, rules, { headerMask: VALUE_MASK }).pairs as HeaderPairs;
  row.query = redactQuery(row.query, rules).query;
  const codings = contentEncodings(row.headers);
  let body: Uint8Array | null = null;
  if (codings.length === 0) {
    const masked = redactBody(row.body, row.contentType, rules);
    if (masked.changed) body = masked.bytes;
  } else if (row.body.length > 0) {
    // Masking works on the plain text: compressed bytes are never masked as they are (that could
    // corrupt them); an encoded body that cannot be decoded in full is kept as received.
    const decoded = await decodeForViewing(row.body, row.headers);
    if (decoded.status === "decoded") {
      const masked = redactBody(decoded.bytes, row.contentType, rules);
      if (masked.changed) body = await encodeAs(codings, masked.bytes);
    }
  }
  if (body === null) return;
  row.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  row.bodySize = row.body.length;
  row.bodySha256 = createHash("sha256").update(row.body).digest("hex");
}

const compress = {
  gzip: promisify(zlib.gzip),
  deflate: promisify(zlib.deflate),
  br: promisify(zlib.brotliCompress),
} as const;

async function encodeAs(codings: readonly string[], bytes: Uint8Array): Promise<Buffer> {
  let current = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const coding of codings) {
    const fn = compress[coding as keyof typeof compress];
    if (fn) current = await fn(current);
  }
  return current;
}

function ruleBody(rule: ResponseRule, captureId: string): { body: string; type: string } {
  if (rule.body !== null) return { body: rule.body, type: "text/plain; charset=utf-8" };
  return { body: JSON.stringify({ ok: true, captureId }), type: "application/json; charset=utf-8" };
}

function respondWithRule(res: ServerResponse, rule: ResponseRule, captureId: string, sameOriginAsDashboard: boolean) {
  if (res.destroyed) return;
  const { body, type } = ruleBody(rule, captureId);
  const headers: [string, string][] = [];
  let hasType = false;
  for (const [name, value] of rule.headers) {
    if (name.toLowerCase() === "content-type") hasType = true;
    headers.push([name, value]);
  }
  if (!hasType) headers.push(["Content-Type", type]);
  headers.push(["Content-Length", String(Buffer.byteLength(body))]);
  headers.push(["X-Hookscope-Capture-Id", captureId]);
  // A capture URL on the dashboard's own origin must never run a script there (a rule could
  // answer with HTML): the sandbox CSP gives such a response an opaque origin and no scripts.
  if (sameOriginAsDashboard) headers.push(["Content-Security-Policy", "sandbox; default-src 'none'"]);
  res.writeHead(rule.status, headers.flat());
  res.end(body);
}

export interface CaptureDoor {
  writer: CaptureWriter;
}

export async function handleCapture(req: IncomingMessage, res: ServerResponse, door: CaptureDoor): Promise<void> {
  const receivedAt = Date.now();
  const cfg = config();
  const target = parseCaptureUrl(req.url ?? "");
  if (!target) {
    req.resume();
    return refuse(res, 404, "unknown_endpoint", "No capture endpoint at this URL.");
  }

  let endpoint;
  try {
    endpoint = await findCaptureTarget(target.key);
  } catch (err) {
    log().error({ err: (err as Error).message }, "capture: endpoint lookup failed");
    req.resume();
    return refuse(res, 503, "storage_unavailable", "Storage is unavailable; retry later.", { "Retry-After": RETRY_AFTER_SECONDS });
  }
  if (!endpoint) {
    req.resume();
    return refuse(res, 404, "unknown_endpoint", "No capture endpoint at this URL.");
  }

  const limit = cfg.MAX_BODY_BYTES;
  const declared = Number(req.headers["content-length"] ?? NaN);
  const result: BodyResult =
    declared > limit ? { kind: "too_large", received: 0 } : await readBody(req, limit);
  if (result.kind === "aborted") return; // the sender gave up before finishing: nothing to answer

  const id = newCaptureId();
  const contentType = req.headers["content-type"] ?? null;
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
    bodySha256: result.kind === "ok" ? createHash("sha256").update(body).digest("hex") : "",
    contentType: typeof contentType === "string" ? contentType : null,
    remoteAddr: remoteAddress(req, cfg.TRUST_PROXY),
    rejected,
    responseStatus: rejected ? 413 : endpoint.rule.status,
    durationMs: 0,
  };

  if (endpoint.ingestRedaction && !rejected) await maskAtIngest(row, endpoint.ingestRedaction);

  if (rejected) {
    drainThenClose(req);
    res.shouldKeepAlive = false;
  }

  let seq: number;
  try {
    row.durationMs = Date.now() - receivedAt;
    seq = await door.writer.submit(row, receivedAt + cfg.INGEST_DEADLINE_MS);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    log().warn({ reason: err.reason, endpointId: endpoint.endpointId }, "capture refused: storage unavailable");
    if (rejected) {
      return refuse(res, 413, "body_too_large", `The body is larger than this endpoint accepts (${limit} bytes).`);
    }
    return refuse(res, 503, "storage_unavailable", "The request could not be stored; retry later.", {
      "Retry-After": RETRY_AFTER_SECONDS,
    });
  }
  bus().publish(summaryOf(row, seq));

  if (rejected) {
    log().info({ endpointId: endpoint.endpointId, method: clip(row.method) }, "capture refused: body too large");
    return refuse(res, 413, "body_too_large", `The body is larger than this endpoint accepts (${limit} bytes); the attempt was recorded as ${id}.`);
  }
  const delay = Math.min(endpoint.rule.delayMs, cfg.MAX_RESPONSE_DELAY_MS);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  respondWithRule(res, endpoint.rule, id, cfg.captureBaseUrl === cfg.publicUrl);
}
