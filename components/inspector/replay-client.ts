// Browser-side access to the replay API (docs/api.md "Replay and forwarding") for the dashboard's
// replay workbench, and replay straight from the user's browser: for targets the server cannot and
// must not reach (http://localhost:…), the browser sends the request itself and the dashboard
// records what happened as an attempt of kind "browser".
import type { AttemptView } from "@/lib/replay/attempts";
import type { AttemptDiff, EditedRequestDiff } from "@/lib/replay/service";
import type { ReplayTargetView } from "@/lib/replay/targets";
import type { ForwardState } from "@/lib/replay/forward-rules";
import { ApiError } from "./api";

export type { AttemptView, AttemptDiff, EditedRequestDiff, ReplayTargetView, ForwardState };
export type HeaderPairs = [string, string][];

export interface ReplayEdits {
  method?: string;
  headers?: HeaderPairs;
  body?: string;
  bodyBase64?: string;
  includeCredentials?: boolean;
  appendPath?: boolean;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { Accept: "application/json", ...(body !== undefined && { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!res.ok) throw new ApiError(res.status, data.error?.code ?? "http_error", data.error?.message ?? `HTTP ${res.status}`);
  return data as T;
}

const enc = encodeURIComponent;

export const replayApi = {
  /** Server replay; 422 `target_forbidden` (ApiError) when the guard refuses the target. */
  replay: (captureId: string, input: ReplayEdits & { url?: string; targetId?: string; followRedirects?: boolean }) =>
    call<AttemptView>("POST", `/api/captures/${enc(captureId)}/replay`, input),
  attempts: (captureId: string, before?: string) =>
    call<{ attempts: AttemptView[]; nextBefore: string | null }>("GET", `/api/captures/${enc(captureId)}/attempts${before ? `?before=${enc(before)}` : ""}`),
  attempt: (id: string, reveal = false) => call<AttemptView>("GET", `/api/attempts/${enc(id)}${reveal ? "?reveal=1" : ""}`),
  attemptBodyUrl: (id: string, part: "request" | "response" = "response") => `/api/attempts/${enc(id)}/body${part === "request" ? "?part=request" : ""}`,
  diff: (a: string, b: string) => call<AttemptDiff>("GET", `/api/attempts/diff?a=${enc(a)}&b=${enc(b)}`),
  diffRequest: (captureId: string, input: ReplayEdits & { url?: string }) => call<EditedRequestDiff>("POST", `/api/captures/${enc(captureId)}/diff-request`, input),
  targets: (endpointId: string) => call<{ targets: ReplayTargetView[] }>("GET", `/api/endpoints/${enc(endpointId)}/replay-targets`),
  addTarget: (endpointId: string, input: { url: string; label?: string; followRedirects?: boolean }) =>
    call<ReplayTargetView>("POST", `/api/endpoints/${enc(endpointId)}/replay-targets`, input),
  deleteTarget: (id: string) => call<void>("DELETE", `/api/replay-targets/${enc(id)}`),
  forward: (endpointId: string) => call<ForwardState>("GET", `/api/endpoints/${enc(endpointId)}/forward`),
  setForward: (endpointId: string, input: { url: string; enabled: boolean; followRedirects?: boolean; maxAttempts?: number }) =>
    call<ForwardState>("PUT", `/api/endpoints/${enc(endpointId)}/forward`, input),
  deleteForward: (endpointId: string) => call<void>("DELETE", `/api/endpoints/${enc(endpointId)}/forward`),
};

// Headers a page's fetch() cannot set (the Fetch standard's forbidden request headers): the
// browser drops them silently, so the workbench shows them as "not sent from the browser".
const FORBIDDEN = new Set([
  "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method", "connection",
  "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie",
  "te", "trailer", "transfer-encoding", "upgrade", "via",
]);

export function browserSendable(headers: HeaderPairs): { sendable: HeaderPairs; dropped: string[] } {
  const sendable: HeaderPairs = [];
  const dropped: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (FORBIDDEN.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) dropped.push(name);
    else sendable.push([name, value]);
  }
  return { sendable, dropped };
}

/** Why a browser replay failed without a response; fetch() does not tell CORS from network errors. */
export const CORS_EXPLANATION =
  "The browser got no readable answer. Either the target is not reachable from this browser, or it refused this page's origin (CORS): " +
  "the target must answer the preflight OPTIONS request with Access-Control-Allow-Origin set to this dashboard's origin and " +
  "Access-Control-Allow-Headers listing the headers sent (and, for localhost from an https page in Chrome, Access-Control-Allow-Private-Network: true). " +
  "Use the relay CLI (npx hookscope listen) to deliver to localhost without CORS.";

const toBase64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

const MAX_RECORDED = 1024 * 1024;

/**
 * Sends the request from this browser and records the outcome as a "browser" attempt. Forbidden
 * headers (Host, Content-Length, Cookie…) are left to the browser. Returns the stored attempt.
 */
export async function replayFromBrowser(
  captureId: string,
  request: { url: string; method: string; headers: HeaderPairs; body: Uint8Array },
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<AttemptView> {
  const { sendable } = browserSendable(request.headers);
  const started = performance.now();
  const method = request.method.toUpperCase();
  let report: Record<string, unknown>;
  try {
    const res = await fetch(request.url, {
      method,
      headers: sendable,
      body: method === "GET" || method === "HEAD" ? undefined : (request.body as Uint8Array<ArrayBuffer>),
      mode: "cors",
      credentials: "omit",
      redirect: "follow",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const headers: HeaderPairs = [];
    res.headers.forEach((value, name) => headers.push([name, value]));
    report = {
      response: {
        status: res.status,
        headers,
        bodyBase64: toBase64(body.subarray(0, MAX_RECORDED)),
        truncated: body.length > MAX_RECORDED,
        durationMs: Math.round(performance.now() - started),
      },
    };
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === "TimeoutError";
    report = {
      error: timedOut ? { code: "timeout", message: `No answer within ${timeoutMs} ms.` } : { code: "cors_or_network", message: CORS_EXPLANATION },
    };
  }
  return call<AttemptView>("POST", `/api/captures/${enc(captureId)}/attempts`, {
    kind: "browser",
    request: { url: request.url, method, headers: sendable, bodyBase64: toBase64(request.body.subarray(0, MAX_RECORDED)) },
    durationMs: Math.round(performance.now() - started),
    ...report,
  });
}
