// The egress client: the one place Hookscope's server makes HTTP requests to user-supplied targets
// (replays, forwards). Every connection goes through the SSRF guard (lib/net/ssrf.ts): IP literals
// are checked before connecting, names by the guarded lookup node:http calls at connect time.
// The request goes out as given: header pairs in order with their case and duplicates (node:http's
// raw array form), the exact body bytes, the raw path and query when the URL string allows it.
//
// Only `sendUnguarded` skips the guard, for the relay CLI delivering to the user's own machine.
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { isIP, type Socket } from "node:net";
import type { HeaderPairs } from "../model/capture";
import { EgressError, type EgressErrorCode } from "../net/egress-error";
import {
  bareHostname,
  createGuardedLookup,
  resolveChecked,
  validateTargetUrl,
  type GuardPolicy,
  type LookupFunction,
  type Resolver,
} from "../net/ssrf";
import { flattenHeaders, isHttpToken, outgoingHeaders, pairsFromRaw } from "./headers";
import { isCredentialHeader } from "../redaction/credential-headers";

export const SEND_DEFAULTS = {
  maxRedirects: 3,
  connectTimeoutMs: 5_000,
  totalTimeoutMs: 15_000,
  maxResponseBytes: 1024 * 1024,
};

export interface SendOptions {
  url: string;
  method: string;
  /** Sent in this order, case and duplicates kept; hop-by-hop dropped, Host and Content-Length set. */
  headers: HeaderPairs;
  body: Uint8Array;
  /** CIDRs from parseSubnets(ALLOWED_FORWARD_SUBNETS). */
  allowedSubnets: readonly string[];
  /** Ports a target may use; null/absent: any. */
  allowedPorts?: readonly number[] | null;
  /** Off by default; when on, every hop is checked again by the guard. */
  followRedirects?: boolean;
  maxRedirects?: number;
  /** From the start of a hop to its TCP (and TLS) connection, DNS included. */
  connectTimeoutMs?: number;
  /** The whole exchange, every hop and the response body included. */
  totalTimeoutMs?: number;
  /** Response bodies beyond this are cut (bodyTruncated) and the connection closed. */
  maxResponseBytes?: number;
  /** DNS for the guard; tests inject one (e.g. a rebinding resolver). */
  resolver?: Resolver;
  signal?: AbortSignal;
}

export interface SentRequest {
  url: string;
  method: string;
  /** Exactly what went on the wire (before Node's own Connection: close). */
  headers: HeaderPairs;
  bodySize: number;
  bodySha256: string;
}

export interface ReceivedResponse {
  status: number;
  statusMessage: string;
  httpVersion: string;
  /** From rawHeaders: wire order, case, duplicates; values latin1. */
  headers: HeaderPairs;
  /** The bytes as received (not decompressed), at most maxResponseBytes. */
  body: Uint8Array;
  bodyTruncated: boolean;
  /** Bytes received; when truncated, reading stopped just past the cap. */
  bodySize: number;
  durationMs: number;
}

export interface SendError {
  code: EgressErrorCode;
  message: string;
}

export interface SendResult {
  /** The first request, as sent (redirect hops are listed in `redirects`). */
  request: SentRequest;
  /** Null whenever `error` is set. */
  response: ReceivedResponse | null;
  error: SendError | null;
  /** Redirects followed: each hop's status and the URL it led to. */
  redirects: { status: number; url: string }[];
  durationMs: number;
}

/** A guarded request to a user-supplied target. Never throws: failures are in `error`. */
export function sendRequest(options: SendOptions): Promise<SendResult> {
  return send(options, { allowedSubnets: options.allowedSubnets, allowedPorts: options.allowedPorts ?? null });
}

/**
 * The same request with NO SSRF guard. Only for the relay CLI, which runs on the user's machine
 * and delivers to a target the user named on its command line (usually localhost).
 */
export function sendUnguarded(options: Omit<SendOptions, "allowedSubnets" | "allowedPorts" | "resolver">): Promise<SendResult> {
  return send({ ...options, allowedSubnets: [] }, null);
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);
// Fetch's request-body-header names: gone with the body when a redirect turns the method into GET.
const BODY_HEADERS = new Set(["content-length", "content-type", "content-encoding", "content-language", "content-location"]);
// Credentials never follow a redirect to another origin (as fetch drops Authorization), "include credentials" or not:
// every header the masking treats as a credential (lib/redaction/credential-headers.ts), X-Api-Key and *-Token too.

interface Hop {
  url: URL;
  /** The request target to send; the raw path and query of the user's string when usable. */
  path: string;
  method: string;
  headers: HeaderPairs;
  body: Uint8Array;
}

async function send(options: SendOptions, guard: GuardPolicy | null): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = Date.now() + (options.totalTimeoutMs ?? SEND_DEFAULTS.totalTimeoutMs);
  const redirects: SendResult["redirects"] = [];
  const bodySha256 = createHash("sha256").update(options.body).digest("hex");
  const method = options.method.toUpperCase();
  let request: SentRequest = { url: options.url, method, headers: options.headers, bodySize: options.body.byteLength, bodySha256 };
  const fail = (err: unknown): SendResult => ({ request, response: null, error: toSendError(err), redirects, durationMs: elapsed() });

  let hop: Hop;
  try {
    if (!isHttpToken(method)) throw new EgressError("invalid_request", `${JSON.stringify(options.method)} is not a valid HTTP method.`);
    const url = validateTargetUrl(options.url, guard ?? undefined);
    const headers = outgoingHeaders(options.headers, url, method, options.body.byteLength);
    hop = { url, path: requestTarget(options.url, url), method, headers, body: options.body };
    // The URL as it went out: origin plus the exact request target.
    request = { ...request, url: url.origin + hop.path, headers };
  } catch (err) {
    return fail(err);
  }

  const maxRedirects = options.maxRedirects ?? SEND_DEFAULTS.maxRedirects;
  for (;;) {
    let response: ReceivedResponse;
    try {
      response = await exchange(hop, options, guard, deadline, started);
    } catch (err) {
      return fail(err);
    }
    const location = response.headers.find(([n]) => n.toLowerCase() === "location")?.[1];
    if (!options.followRedirects || !REDIRECT.has(response.status) || location === undefined) {
      return { request, response, error: null, redirects, durationMs: elapsed() };
    }
    try {
      hop = nextHop(hop, response.status, location, guard);
    } catch (err) {
      redirects.push({ status: response.status, url: location });
      return fail(err);
    }
    redirects.push({ status: response.status, url: hop.url.href });
    if (redirects.length > maxRedirects) {
      return fail(new EgressError("too_many_redirects", `The target redirected more than ${maxRedirects} times.`));
    }
  }
}

function nextHop(prev: Hop, status: number, location: string, guard: GuardPolicy | null): Hop {
  let url: URL;
  try {
    url = new URL(location, prev.url);
  } catch {
    throw new EgressError("invalid_redirect", "The target redirected to an invalid URL.");
  }
  try {
    url = validateTargetUrl(url, guard ?? undefined);
  } catch (err) {
    if (err instanceof EgressError && err.code === "invalid_target")
      throw new EgressError("invalid_redirect", `The target redirected to a URL that cannot be followed: ${err.message}`);
    throw err;
  }
  const toGet = status === 303 ? prev.method !== "HEAD" : (status === 301 || status === 302) && prev.method === "POST";
  const crossOrigin = url.origin !== prev.url.origin;
  let headers = prev.headers;
  if (toGet) headers = headers.filter(([n]) => !BODY_HEADERS.has(n.toLowerCase()));
  if (crossOrigin) headers = headers.filter(([n]) => !isCredentialHeader(n));
  const method = toGet ? "GET" : prev.method;
  const body = toGet ? new Uint8Array(0) : prev.body;
  return { url, path: (url.pathname || "/") + url.search, method, headers: outgoingHeaders(headers, url, method, body.byteLength), body };
}

/**
 * The request target from the user's own string when it is plain (printable ASCII, no fragment, no
 * backslash), so "/a/./b" or "%2e%2e" reach the target as captured; otherwise the WHATWG URL's
 * normalised path and query. The host always comes from the parsed URL.
 */
export function requestTarget(raw: string, url: URL): string {
  const normalised = (url.pathname || "/") + url.search;
  const m = /^https?:\/\/[^/?#\\]*([/?][^#]*)?$/i.exec(raw);
  if (!m) return normalised;
  let target = m[1] ?? "/";
  if (target.startsWith("?")) target = `/${target}`;
  if (!/^[\x21-\x7e]+$/.test(target) || target.includes("\\")) return normalised;
  return target;
}

function exchange(hop: Hop, options: SendOptions, guard: GuardPolicy | null, deadline: number, started: number): Promise<ReceivedResponse> {
  return new Promise<ReceivedResponse>((resolve, reject) => {
    const host = bareHostname(hop.url);
    const connectMs = options.connectTimeoutMs ?? SEND_DEFAULTS.connectTimeoutMs;
    const cap = options.maxResponseBytes ?? SEND_DEFAULTS.maxResponseBytes;
    let settled = false;
    let req: http.ClientRequest | undefined;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: unknown, value?: ReceivedResponse) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener("abort", onAbort);
      if (err) {
        req?.destroy();
        reject(err);
      } else resolve(value as ReceivedResponse);
    };
    const abortWith = (err: EgressError) => {
      if (req) req.destroy(err);
      finish(err);
    };
    const onAbort = () => abortWith(new EgressError("aborted", "The request was cancelled."));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const remaining = deadline - Date.now();
    if (remaining <= 0) return finish(new EgressError("timeout", "The target did not answer in time."));
    timers.push(setTimeout(() => abortWith(new EgressError("timeout", "The target did not answer in time.")), remaining));
    const connectTimer = setTimeout(
      () => abortWith(new EgressError("connect_timeout", `Could not connect to ${hop.url.host} within ${connectMs} ms.`)),
      Math.min(connectMs, remaining),
    );
    timers.push(connectTimer);

    const start = async () => {
      // Node does not call `lookup` for IP literals, so those are checked here; names are checked
      // by the guarded lookup when the socket connects.
      let lookup: LookupFunction | undefined;
      if (guard) {
        await resolveLiteral(host, guard);
        lookup = createGuardedLookup(guard, options.resolver);
      }
      if (settled) return;
      const mod = hop.url.protocol === "https:" ? https : http;
      req = mod.request({
        protocol: hop.url.protocol,
        host,
        port: hop.url.port || (hop.url.protocol === "https:" ? 443 : 80),
        method: hop.method,
        path: hop.path,
        headers: flattenHeaders(hop.headers) as unknown as http.OutgoingHttpHeaders,
        agent: false,
        // The TLS server name (SNI) and certificate check use `host`, as in the URL.
        lookup: lookup as unknown as http.RequestOptions["lookup"],
      });
      req.on("socket", (socket: Socket) => {
        socket.once(hop.url.protocol === "https:" ? "secureConnect" : "connect", () => clearTimeout(connectTimer));
      });
      req.on("error", (err) => finish(err));
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = () =>
          finish(null, {
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? "",
            httpVersion: res.httpVersion,
            headers: pairsFromRaw(res.rawHeaders),
            body: new Uint8Array(Buffer.concat(chunks).subarray(0, cap)),
            bodyTruncated: truncated,
            bodySize: size,
            durationMs: Math.round(performance.now() - started),
          });
        res.on("data", (chunk: Buffer) => {
          if (truncated) return;
          size += chunk.byteLength;
          chunks.push(chunk);
          if (size > cap) {
            truncated = true;
            done();
            res.destroy();
          }
        });
        res.on("end", done);
        res.on("error", (err) => finish(err));
        res.on("aborted", () =>
          finish(new EgressError("connection_reset", "The target closed the connection before the response was complete.")),
        );
      });
      req.end(hop.body.byteLength ? Buffer.from(hop.body.buffer, hop.body.byteOffset, hop.body.byteLength) : undefined);
    };
    start().catch((err) => finish(err));
  });
}

async function resolveLiteral(host: string, guard: GuardPolicy): Promise<void> {
  if (isIP(host)) await resolveChecked(host, guard);
}

/** Any failure → `{ code, message }` for the attempt record. Messages carry no stack or internals. */
export function toSendError(err: unknown): SendError {
  if (err instanceof EgressError) return { code: err.code, message: err.message };
  const e = firstCoded(err);
  const code = e?.code ?? "";
  if (code === "ECONNREFUSED") return { code: "connection_refused", message: "The target refused the connection." };
  if (code === "ECONNRESET" || code === "EPIPE") return { code: "connection_reset", message: "The target closed the connection." };
  if (code === "ENOTFOUND" || code.startsWith("EAI_")) return { code: "dns_failed", message: "Could not resolve the target's host name." };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL")
    return { code: "unreachable", message: "The target's network is unreachable." };
  if (code === "ETIMEDOUT") return { code: "connect_timeout", message: "Connecting to the target timed out." };
  if (code === "ABORT_ERR") return { code: "aborted", message: "The request was cancelled." };
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME_MISMATCH/i.test(code)) {
    return { code: "tls_failed", message: `The TLS connection failed (${code}).` };
  }
  if (code.startsWith("HPE_")) return { code: "network_error", message: `The target's response is not valid HTTP (${code}).` };
  if (code.startsWith("ERR_INVALID") || code === "ERR_UNESCAPED_CHARACTERS") {
    return { code: "invalid_request", message: `The request cannot be sent (${code}).` };
  }
  return { code: "network_error", message: code ? `The request failed (${code}).` : "The request failed." };
}

function firstCoded(err: unknown): { code?: string } | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { code?: unknown; errors?: unknown };
  if (typeof e.code === "string") return { code: e.code };
  // Happy Eyeballs (several addresses) fails with an AggregateError of the per-address errors.
  if (Array.isArray(e.errors))
    for (const inner of e.errors) if (inner && typeof (inner as { code?: unknown }).code === "string") return inner as { code: string };
  return undefined;
}
