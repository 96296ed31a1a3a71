// Attempts: every replay, forward and browser replay, stored with the exact request sent and the
// response (status, headers, body capped at 1 MiB, time) or the error. Views are masked by the
// endpoint's redaction rules (request and response alike: a response can echo a secret) unless a
// member reveals them (audited by the caller).
import "../runtime/server-only";
import { createHash } from "node:crypto";
import { db } from "../db/client";
import type { HeaderPairs } from "../model/capture";
import { maskBodyFactHeaders, serveBody } from "../capture/serve-body";
import { redactPartsOffThread } from "../redaction/regex-pool";
import type { RedactionRule } from "../redaction/rules";
import { randomToken } from "../runtime/ids";
import type { SendResult } from "./send";

export type AttemptKind = "replay" | "forward" | "browser";

/** Response bodies are kept up to this many bytes (the rest is cut and `truncated` set). */
export const MAX_STORED_RESPONSE_BYTES = 1024 * 1024;

/** Time-led like capture ids, so newest-first by id is newest-first by time. */
export const newAttemptId = () => `att_${Date.now().toString(36).padStart(9, "0")}${randomToken(12)}`;

export interface NewAttempt {
  captureId: string;
  endpointId: string;
  kind: AttemptKind;
  attemptNo?: number;
  actorLabel: string;
  request: { url: string; method: string; headers: HeaderPairs; body: Uint8Array; bodySha256: string };
  response: { status: number; headers: HeaderPairs; body: Uint8Array; bodySize: number; truncated: boolean; durationMs: number } | null;
  error: { code: string; message: string } | null;
  durationMs: number;
}

/** The outcome part of an attempt from what the egress client sent and got (`body`: the bytes sent). */
export function outcomeOf(result: SendResult, body: Uint8Array): Pick<NewAttempt, "request" | "response" | "error" | "durationMs"> {
  return {
    request: {
      url: result.request.url,
      method: result.request.method,
      headers: result.request.headers,
      body,
      bodySha256: result.request.bodySha256,
    },
    response: result.response && {
      status: result.response.status,
      headers: result.response.headers,
      body: result.response.body,
      bodySize: result.response.bodySize,
      truncated: result.response.bodyTruncated,
      durationMs: result.response.durationMs,
    },
    error: result.error,
    durationMs: result.durationMs,
  };
}

const bytes = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as Uint8Array<ArrayBuffer>;

export async function recordAttempt(a: NewAttempt): Promise<AttemptRow> {
  return db().attempt.create({ data: attemptData(a) });
}

/** The row for `a` (for callers that write it inside a batch transaction). */
export function attemptData(a: NewAttempt) {
  const body = a.response ? a.response.body.subarray(0, MAX_STORED_RESPONSE_BYTES) : null;
  return {
    id: newAttemptId(),
    captureId: a.captureId,
    endpointId: a.endpointId,
    kind: a.kind,
    attemptNo: a.attemptNo ?? 1,
    actorLabel: a.actorLabel.slice(0, 200),
    requestMethod: a.request.method,
    requestUrl: a.request.url,
    requestHeaders: JSON.stringify(a.request.headers),
    requestBody: bytes(a.request.body),
    requestBodySha256: a.request.bodySha256,
    responseStatus: a.response?.status ?? null,
    responseHeaders: a.response ? JSON.stringify(a.response.headers) : null,
    responseBody: body ? bytes(body) : null,
    responseBodySize: a.response?.bodySize ?? null,
    responseTruncated: a.response ? a.response.truncated || a.response.bodySize > MAX_STORED_RESPONSE_BYTES : false,
    durationMs: a.response?.durationMs ?? a.durationMs,
    errorCode: a.error?.code ?? null,
    errorMessage: a.error?.message.slice(0, 1000) ?? null,
  };
}

export type AttemptRow = NonNullable<Awaited<ReturnType<ReturnType<typeof db>["attempt"]["findUnique"]>>>;

export interface AttemptView {
  id: string;
  captureId: string;
  endpointId: string;
  kind: AttemptKind;
  attemptNo: number;
  createdAt: string;
  actor: string;
  request: { url: string; method: string; headers: HeaderPairs; bodySize: number; bodySha256: string; bodyBase64?: string };
  response: { status: number; headers: HeaderPairs; bodySize: number; truncated: boolean; durationMs: number; bodyBase64?: string } | null;
  error: { code: string; message: string } | null;
  /** Anything in this view was masked (false when revealed). */
  masked: boolean;
  revealed: boolean;
}

export interface AttemptParts {
  request: { url: string; method: string; headers: HeaderPairs; body: Uint8Array };
  response: { status: number; headers: HeaderPairs; body: Uint8Array } | null;
  masked: boolean;
}

const contentTypeOf = (headers: HeaderPairs) => headers.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? null;

/** The URL's query, or null (URL userinfo never reaches a stored attempt: the guard refuses it; the query may hold ?token=). */
function urlQuery(url: string): { start: number; end: number } | null {
  const q = url.indexOf("?");
  if (q < 0) return null;
  const hash = url.indexOf("#", q);
  return { start: q + 1, end: hash < 0 ? url.length : hash };
}

/** The request and response of an attempt: as stored (`rules` null, i.e. revealed) or masked. */
export async function attemptParts(row: AttemptRow, rules: readonly RedactionRule[] | null): Promise<AttemptParts> {
  const reqHeaders = JSON.parse(row.requestHeaders) as HeaderPairs;
  const resHeaders = row.responseHeaders ? (JSON.parse(row.responseHeaders) as HeaderPairs) : null;
  if (!rules) {
    return {
      request: { url: row.requestUrl, method: row.requestMethod, headers: reqHeaders, body: row.requestBody },
      response:
        row.responseStatus !== null && resHeaders
          ? { status: row.responseStatus, headers: resHeaders, body: row.responseBody ?? new Uint8Array(0) }
          : null,
      masked: false,
    };
  }
  let masked = false;
  // Headers and the URL's query in one masking call: in a redaction worker when their regex work is large.
  const q = urlQuery(row.requestUrl);
  const parts = await redactPartsOffThread(
    { headers: resHeaders ? [reqHeaders, resHeaders] : [reqHeaders], queries: q ? [row.requestUrl.slice(q.start, q.end)] : [] },
    rules,
  );
  const url = q ? row.requestUrl.slice(0, q.start) + parts.queries[0]!.query + row.requestUrl.slice(q.end) : row.requestUrl;
  // "decoded": the attempt view shows a masked view of an encoded body decoded, whatever the masking.
  const reqBody = await serveBody(row.requestBody, reqHeaders, contentTypeOf(reqHeaders), rules, false, "decoded");
  const rh = maskBodyFactHeaders(parts.headers[0]!, reqBody);
  masked ||= rh.masked.length > 0 || url !== row.requestUrl || reqBody.masked;
  let response: AttemptParts["response"] = null;
  if (row.responseStatus !== null && resHeaders) {
    // A truncated encoded body cannot be decoded for masking: it is withheld (empty), not leaked.
    const resBody = await serveBody(row.responseBody ?? new Uint8Array(0), resHeaders, contentTypeOf(resHeaders), rules, false, "decoded");
    const sh = maskBodyFactHeaders(parts.headers[1]!, resBody);
    masked ||= sh.masked.length > 0 || resBody.masked;
    response = { status: row.responseStatus, headers: sh.pairs, body: resBody.body };
  }
  return { request: { url, method: row.requestMethod, headers: rh.pairs, body: reqBody.body }, response, masked };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a === b || Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/**
 * The API form of an attempt; `withBodies` adds both bodies as base64 (of the view's bytes). Sizes
 * and the request's sha256 describe the bytes the view shows: the stored ones unless masking (or
 * decoding for it) changed them, never those of masked bytes.
 */
export async function attemptView(row: AttemptRow, rules: readonly RedactionRule[] | null, withBodies = false): Promise<AttemptView> {
  const parts = await attemptParts(row, rules);
  const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
  const requestAsStored = sameBytes(parts.request.body, row.requestBody);
  const responseAsStored = parts.response !== null && sameBytes(parts.response.body, row.responseBody ?? new Uint8Array(0));
  return {
    id: row.id,
    captureId: row.captureId,
    endpointId: row.endpointId,
    kind: row.kind as AttemptKind,
    attemptNo: row.attemptNo,
    createdAt: row.createdAt.toISOString(),
    actor: row.actorLabel,
    request: {
      url: parts.request.url,
      method: parts.request.method,
      headers: parts.request.headers,
      bodySize: parts.request.body.byteLength,
      bodySha256: requestAsStored ? row.requestBodySha256 : createHash("sha256").update(parts.request.body).digest("hex"),
      ...(withBodies && { bodyBase64: b64(parts.request.body) }),
    },
    response:
      parts.response && row.responseStatus !== null
        ? {
            status: parts.response.status,
            headers: parts.response.headers,
            // The full response size when the shown bytes are the stored ones (a cut body says so with `truncated`).
            bodySize: responseAsStored ? (row.responseBodySize ?? parts.response.body.byteLength) : parts.response.body.byteLength,
            truncated: row.responseTruncated,
            durationMs: row.durationMs ?? 0,
            ...(withBodies && { bodyBase64: b64(parts.response.body) }),
          }
        : null,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null,
    masked: parts.masked,
    revealed: rules === null,
  };
}

/** Newest first; `before` is an attempt id from a previous page. */
export async function listAttemptRows(captureId: string, opts: { limit: number; before?: string; kind?: AttemptKind }) {
  const rows = await db().attempt.findMany({
    where: { captureId, ...(opts.before && { id: { lt: opts.before } }), ...(opts.kind && { kind: opts.kind }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
  });
  const page = rows.slice(0, opts.limit);
  return { rows: page, nextBefore: rows.length > opts.limit ? (page.at(-1)?.id ?? null) : null };
}

export function findAttemptRow(id: string) {
  return db().attempt.findUnique({ where: { id } });
}
