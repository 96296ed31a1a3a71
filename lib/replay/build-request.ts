// What a replay sends, from a stored capture and the user's edits. The target URL is used exactly
// as given: the replay form (or the forwarding rule, or the CLI) decides whether the capture's
// sub-path and query belong on it, with targetForCapture when they do.
import type { HeaderPairs } from "../model/capture";
import { appendCapturePath } from "./target-url";
import { EgressError } from "../net/egress-error";
import { isHttpToken } from "./headers";

/** The parts of a capture a replay needs (a CaptureDetail plus its exact body). */
export interface ReplaySource {
  method: string;
  path: string;
  query: string;
  headers: HeaderPairs;
  body: Uint8Array;
}

/** The replay API's body: `{ url, method?, headers?, body?, bodyBase64? }`. */
export interface ReplayOverrides {
  url: string;
  method?: string;
  /** Replaces the whole list (wire order as given). */
  headers?: HeaderPairs;
  /** Replaces the body with this text, UTF-8 encoded. */
  body?: string;
  /** Replaces the body with these bytes. */
  bodyBase64?: string;
}

export interface ReplayRequest {
  url: string;
  method: string;
  headers: HeaderPairs;
  body: Uint8Array;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (standard alphabet, padded, whitespace ignored) → bytes; null when malformed. */
export function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, "");
  if (!BASE64.test(clean)) return null;
  return new Uint8Array(Buffer.from(clean, "base64"));
}

/**
 * The request to send: the capture's method, headers and exact bytes unless overridden. Throws
 * EgressError "invalid_request" for a bad method, both body forms at once, or malformed base64.
 * Hop-by-hop headers, Host and Content-Length are settled by sendRequest, not here, so the list
 * stays what the user edited.
 */
export function buildReplayRequest(capture: ReplaySource, overrides: ReplayOverrides): ReplayRequest {
  const method = (overrides.method ?? capture.method).toUpperCase();
  if (!isHttpToken(method)) throw new EgressError("invalid_request", `${JSON.stringify(overrides.method)} is not a valid HTTP method.`);
  if (overrides.body !== undefined && overrides.bodyBase64 !== undefined) {
    throw new EgressError("invalid_request", "Give either body or bodyBase64, not both.");
  }
  let body = capture.body;
  if (overrides.body !== undefined) body = new TextEncoder().encode(overrides.body);
  if (overrides.bodyBase64 !== undefined) {
    const bytes = decodeBase64(overrides.bodyBase64);
    if (!bytes) throw new EgressError("invalid_request", "bodyBase64 is not valid base64.");
    body = bytes;
  }
  const headers = (overrides.headers ?? capture.headers).map(([n, v]): [string, string] => [n, v]);
  return { url: overrides.url, method, headers, body };
}

/**
 * `base` with the capture's sub-path appended to its path and the capture's query appended to its
 * query, both still percent-encoded exactly as captured:
 * ("http://localhost:3000/webhooks?a=1", { path: "/stripe", query: "b=2" })
 *   → "http://localhost:3000/webhooks/stripe?a=1&b=2".
 */
export function targetForCapture(base: string, capture: { path: string; query: string }): string {
  const target = appendCapturePath(base, capture);
  if (target === null) throw new EgressError("invalid_target", "The target is not a valid absolute URL.");
  return target;
}
