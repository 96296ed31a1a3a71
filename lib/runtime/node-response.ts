// JSON answers written on a plain node:http response (the capture door, the door thread's own
// answers, the app socket's last resort), in the same error shape as the API routes.
import type { ServerResponse } from "node:http";
import { ERROR_STATUS, type ErrorCode } from "../errors";
import { log } from "./log";

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...requestIdHeader(res),
    ...extra,
  });
  res.end(text);
}

/**
 * `{ error: { code, message } }` with the code's status from the one error table (lib/errors.ts, import-free,
 * so the door thread may read it), unless an answer has already started or the client is gone.
 */
const REFUSAL = Symbol.for("hookscope.refusal");

const REQUEST_ID = Symbol.for("hookscope.requestId");

/**
 * The request id the door gave this exchange (lib/ops/request-id.ts), for log lines about it and the
 * X-Request-Id answer header. Kept on the response, never set with setHeader(): a later
 * writeHead(status, [flat raw list]) would then fold repeated headers (Set-Cookie) into one.
 */
export function setRequestId(res: ServerResponse, id: string): void {
  (res as ServerResponse & { [REQUEST_ID]?: string })[REQUEST_ID] = id;
}

export function requestIdOf(res: ServerResponse): string | undefined {
  return (res as ServerResponse & { [REQUEST_ID]?: string })[REQUEST_ID];
}

/** `{ "X-Request-Id": id }` for a writeHead of this response, or nothing. */
export function requestIdHeader(res: ServerResponse): Record<string, string> {
  const id = requestIdOf(res);
  return id ? { "X-Request-Id": id } : {};
}

/** The code a response was refused with (refuse() below), for the door's metrics; undefined if none. */
export function refusalOf(res: ServerResponse): ErrorCode | undefined {
  return (res as ServerResponse & { [REFUSAL]?: ErrorCode })[REFUSAL];
}

export function refuse(res: ServerResponse, code: ErrorCode, message: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  (res as ServerResponse & { [REFUSAL]?: ErrorCode })[REFUSAL] = code;
  sendJson(res, ERROR_STATUS[code], { error: { code, message } }, extra);
}

/** An unexpected failure: logged, then a 500 if nothing was sent yet, else the connection is cut. */
export function internalError(res: ServerResponse, err: unknown, what = "unhandled request error"): void {
  log().error({ err: (err as Error)?.message, requestId: requestIdOf(res) }, what);
  if (!res.headersSent && !res.destroyed) refuse(res, "internal", "Internal error.");
  else res.destroy();
}
