// JSON answers written on a plain node:http response (the capture door, the door thread's own
// answers, the app socket's last resort), in the same error shape as the API routes.
import type { ServerResponse } from "node:http";
import { log } from "./log";

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...extra,
  });
  res.end(text);
}

/** `{ error: { code, message } }`, unless an answer has already started or the client is gone. */
export function refuse(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  sendJson(res, status, { error: { code, message } }, extra);
}

/** An unexpected failure: logged, then a 500 if nothing was sent yet, else the connection is cut. */
export function internalError(res: ServerResponse, err: unknown, what = "unhandled request error"): void {
  log().error({ err: (err as Error)?.message }, what);
  if (!res.headersSent && !res.destroyed) refuse(res, 500, "internal", "Internal error.");
  else res.destroy();
}
