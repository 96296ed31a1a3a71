// Pure helpers of the replay workbench (tests/unit/replay-ui-helpers.test.ts): what a browser may
// send (the Fetch standard's forbidden request headers), how refusals and network errors are
// worded for people, base64 in the browser, and labels.
import { appendCapturePath } from "@/lib/replay/target-url";
import { isCredentialHeader } from "@/lib/redaction/credential-headers";
import type { HeaderPairs } from "@/lib/capture/types";

/** Headers a page's fetch() cannot set (Fetch standard "forbidden request-header"): the browser drops or replaces them. */
const FORBIDDEN = new Set([
  "accept-charset",
  "accept-encoding",
  "access-control-request-headers",
  "access-control-request-method",
  "access-control-request-private-network",
  "connection",
  "content-length",
  "cookie",
  "cookie2",
  "date",
  "dnt",
  "expect",
  "host",
  "keep-alive",
  "origin",
  "permissions-policy",
  "referer",
  "set-cookie",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
]);
const FORBIDDEN_PREFIXES = ["proxy-", "sec-"];
/** Allowed by the standard now, but Chromium still replaces it with its own. */
const BROWSER_OWNED = new Set(["user-agent"]);
/** X-HTTP-Method(-Override) naming one of these is forbidden too. */
const FORBIDDEN_METHODS = new Set(["connect", "trace", "track"]);
const METHOD_OVERRIDES = new Set(["x-http-method", "x-http-method-override", "x-method-override"]);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A Headers value: a ByteString without CR, LF or NUL (leading/trailing whitespace is trimmed).
const BYTE_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export interface DroppedHeader {
  name: string;
  reason: "forbidden" | "browser_owned" | "credentials" | "invalid";
}

export function isForbiddenForBrowser(name: string, value = ""): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN.has(lower) || FORBIDDEN_PREFIXES.some((p) => lower.startsWith(p))) return true;
  if (METHOD_OVERRIDES.has(lower)) return value.split(",").some((m) => FORBIDDEN_METHODS.has(m.trim().toLowerCase()));
  return false;
}

/**
 * The header list a browser replay can actually send, and what it has to leave out: headers the
 * browser forbids or owns, credentials unless `includeCredentials`, and names or values a
 * Headers object would refuse.
 */
export function headersForBrowser(headers: HeaderPairs, includeCredentials: boolean): { sent: HeaderPairs; dropped: DroppedHeader[] } {
  const sent: HeaderPairs = [];
  const dropped: DroppedHeader[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || !BYTE_VALUE.test(value)) dropped.push({ name, reason: "invalid" });
    // The credentials the server's replay leaves out unless asked (lib/redaction/credential-headers.ts).
    else if (!includeCredentials && isCredentialHeader(name)) dropped.push({ name, reason: "credentials" });
    else if (isForbiddenForBrowser(name, value)) dropped.push({ name, reason: "forbidden" });
    else if (BROWSER_OWNED.has(lower)) dropped.push({ name, reason: "browser_owned" });
    else sent.push([name, value]);
  }
  return { sent, dropped };
}

/** Names listed more than once (the browser joins them into one comma-separated value). */
export function combinedNames(headers: HeaderPairs): string[] {
  const seen = new Map<string, { name: string; n: number }>();
  for (const [name] of headers) {
    const k = name.toLowerCase();
    const hit = seen.get(k);
    if (hit) hit.n++;
    else seen.set(k, { name, n: 1 });
  }
  return [...seen.values()].filter((v) => v.n > 1).map((v) => v.name);
}

export function droppedReason(d: DroppedHeader): string {
  switch (d.reason) {
    case "forbidden":
      return "browsers refuse to let a page set";
    case "browser_owned":
      return "the browser sends its own";
    case "credentials":
      return "credentials are off";
    default:
      return "not valid for fetch()";
  }
}

/** A loopback or localhost URL: the server refuses it (unless the operator allowed it); the browser can reach it. */
export function isLocalTarget(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "::1" || host === "0.0.0.0";
}

/** How the panel words a refused or failed server replay (the API's code and message). */
export function explainServerError(code: string, message: string, url: string): { title: string; detail: string | null } {
  switch (code) {
    case "target_forbidden": {
      const metadata = /metadata/i.test(message);
      return {
        title: `Refused: ${message.replace(/\.$/, "")}.`,
        detail: metadata
          ? "Cloud metadata addresses are always refused: a request there could hand out the server's own credentials."
          : `The server refuses private, loopback, link-local and other internal targets (SSRF protection), so nothing was sent.${
              isLocalTarget(url) || /loopback|private|link-local|unique-local/i.test(message)
                ? " Use Send from browser for localhost and other targets on your own machine or network."
                : ""
            } An operator can allow subnets with ALLOWED_FORWARD_SUBNETS.`,
      };
    }
    case "invalid_target":
      return { title: `Not a usable target: ${message}`, detail: null };
    case "invalid_request":
      return { title: `The request cannot be sent: ${message}`, detail: null };
    case "not_replayable":
      return { title: message, detail: null };
    case "body_too_large":
      return { title: "The edited request is too large to send.", detail: message };
    case "forbidden":
      return { title: "Your role cannot replay captures.", detail: message };
    default:
      return { title: message, detail: null };
  }
}

const ATTEMPT_ERRORS: Record<string, string> = {
  connection_refused: "Connection refused: nothing listens on that port.",
  connect_timeout: "The connection timed out.",
  timeout: "The target did not answer in time.",
  connection_reset: "The connection was reset.",
  dns_failed: "The host name could not be resolved.",
  unreachable: "The network or host is unreachable.",
  tls_failed: "The TLS handshake failed.",
  too_many_redirects: "Too many redirects.",
  invalid_redirect: "The target redirected to an invalid location.",
  target_forbidden: "A redirect led to a refused (internal) address.",
  network_error: "Network error.",
  cors_or_network: "The browser refused the request or could not reach the target (CORS or network).",
  opaque_redirect: "The target answered with a redirect, which the browser does not show.",
  aborted: "Cancelled.",
};

export function attemptErrorText(error: { code: string; message: string }): string {
  return error.message || ATTEMPT_ERRORS[error.code] || error.code;
}

export function kindLabel(kind: string): string {
  return kind === "replay" ? "server" : kind;
}

const SAFELISTED_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

/**
 * Headers that make a browser ask the target first (a CORS preflight), so the target has to list
 * them in Access-Control-Allow-Headers: everything but the CORS-safelisted ones (Accept,
 * Accept-Language, Content-Language, and Content-Type with one of the three form/text types).
 */
export function preflightHeaderNames(headers: HeaderPairs): string[] {
  const names = new Map<string, string>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === "accept" || lower === "accept-language" || lower === "content-language") continue;
    if (lower === "content-type" && SAFELISTED_TYPES.includes(value.split(";")[0]!.trim().toLowerCase())) continue;
    if (!names.has(lower)) names.set(lower, name);
  }
  return [...names.values()];
}

/** What to configure on a target that refused (or never answered) a replay from this page. */
export function corsAdvice(target: string, pageOrigin: string, method: string, headers: HeaderPairs): string[] {
  const headerNames = preflightHeaderNames(headers);
  let origin = target;
  try {
    origin = new URL(target).origin;
  } catch {
    // shown as given
  }
  const simple = ["GET", "HEAD", "POST"].includes(method.toUpperCase());
  const advice = [
    `Check that something listens at ${origin}.`,
    `Answer with Access-Control-Allow-Origin: ${pageOrigin} (or *) on the response${simple ? "" : " and on the OPTIONS preflight"}.`,
  ];
  if (headerNames.length || !simple) {
    advice.push(
      `Answer the OPTIONS preflight (2xx) with Access-Control-Allow-Methods: ${method.toUpperCase()} and Access-Control-Allow-Headers: ${
        headerNames.length ? headerNames.join(", ") : "*"
      }.`,
    );
  }
  advice.push("Add Access-Control-Expose-Headers: * to let this page read the response headers.");
  if (/^https:/i.test(pageOrigin) && /^http:/i.test(target) && !isLocalTarget(target)) {
    advice.push("This page is served over https: browsers block plain http targets other than localhost (mixed content).");
  } else if (isLocalTarget(target)) {
    advice.push("From a public dashboard, Chromium may also ask localhost for Access-Control-Allow-Private-Network: true.");
  }
  return advice;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const digest = await crypto.subtle.digest("SHA-256", copy);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** "12 ms", "1.4 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A JSON value for a diff cell, short. */
export function showValue(v: unknown, max = 200): string {
  let s: string;
  if (v === undefined) s = "";
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * `base` with the capture's sub-path and query appended, as the server does for appendPath
 * (lib/replay/target-url.ts). Null when `base` is not an absolute URL.
 */
export const withCapturePath = appendCapturePath;
