// `hookscope listen`: relays an endpoint's captures to a local server, byte-exact. It follows the
// endpoint's live stream (SSE; resumed with Last-Event-ID after a drop, `--since <seq>` to start
// from an earlier capture), fetches each capture's headers and exact body, and sends them to the
// --to URL with the capture's method, sub-path and query, one delivery at a time, in order.
//
// The delivery is deliberately NOT SSRF-guarded: the CLI runs on the user's machine and delivers
// where its user said (usually localhost). Runs on Node through tsx (bin/hookscope.mjs).
//
// Authentication: an API token (`hs_tok_…`, sent as `Authorization: Bearer`) reads the exact
// capture (`?reveal=1`, audited). A share token (`hs_shr_…`, or a share URL …/s/hs_shr_…) follows
// /api/share/<token>/stream instead, and share views are MASKED: secret headers are left out of
// the delivery and masked body values stay masked, so prefer an API token.
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { CaptureDetail, CaptureSummary } from "../model/capture";
import { backoffDelay, RECONNECT_BACKOFF, type BackoffPolicy } from "../replay/backoff";
import { targetForCapture } from "../replay/build-request";
import { sendUnguarded, type SendResult } from "../replay/send";
import { capturePathEscape } from "../replay/target-url";

export interface ListenOptions {
  /** Hookscope's base URL, e.g. http://localhost:3000. */
  server: string;
  endpointId: string;
  /** Where captures go; each capture's sub-path and query are appended. */
  to: string;
  /** API token (sent as `Authorization: Bearer`) or share token (`hs_shr_…`: the share routes, masked data). */
  token?: string;
  /** Deliver captures after this sequence first (those made while the CLI was stopped). */
  since?: number | null;
  /** Per delivery, the whole exchange. */
  timeoutMs?: number;
  /** Without a byte (keep-alives included) for this long, the stream is reopened. */
  idleTimeoutMs?: number;
  reconnect?: BackoffPolicy;
  fetch?: typeof fetch;
}

export interface Delivery {
  seq: number;
  captureId: string;
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  error: { code: string; message: string } | null;
  /** The body fetched from the server did not match the capture's SHA-256 (redacted?). */
  bodyMismatch: boolean;
}

export interface ListenIo {
  signal: AbortSignal;
  /** One line per delivery and per connection change. */
  log: (line: string) => void;
  onDelivery?: (delivery: Delivery) => void;
  /** Called with the cursor each time the stream is (re)opened: tests watch reconnection. */
  onConnect?: (cursor: number | null) => void;
}

/** Share tokens (`hs_shr_…`) read through the share routes, whose views are masked. */
export function isShareToken(token: string | undefined): token is string {
  return typeof token === "string" && token.startsWith("hs_shr_");
}

/** Where the CLI reads: the endpoint API with an API token, the share API with a share token. */
export function relayPaths(endpointId: string, token: string | undefined) {
  if (isShareToken(token)) {
    const base = `/api/share/${encodeURIComponent(token)}`;
    return {
      share: true,
      stream: `${base}/stream`,
      detail: (id: string) => `${base}/captures/${encodeURIComponent(id)}`,
      body: (id: string) => `${base}/captures/${encodeURIComponent(id)}/body`,
    };
  }
  return {
    share: false,
    stream: `/api/endpoints/${encodeURIComponent(endpointId)}/stream`,
    detail: (id: string) => `/api/captures/${encodeURIComponent(id)}?reveal=1`,
    body: (id: string) => `/api/captures/${encodeURIComponent(id)}/body?reveal=1`,
  };
}

/**
 * A masked (share) view's headers made sendable: the masked ones are left out (their values are
 * placeholders), and Content-Encoding goes when the server served the body decoded.
 */
export function sendableSharedHeaders(detail: CaptureDetail & { masked?: { headers?: { index: number }[] } | null }, bodyDecoded: boolean): { headers: CaptureDetail["headers"]; dropped: number } {
  const maskedAt = new Set((detail.masked?.headers ?? []).map((m) => m.index));
  const headers = detail.headers.filter(([name], i) => !maskedAt.has(i) && !(bodyDecoded && name.toLowerCase() === "content-encoding"));
  return { headers, dropped: maskedAt.size };
}

/** A failure retrying cannot fix (bad token, unknown endpoint, bad arguments): the CLI exits 1. */
export class ListenError extends Error {}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const FETCH_RETRIES = 5;
const API_TIMEOUT_MS = 30_000;

/** Follows the stream and delivers until `io.signal` aborts (resolves) or a fatal error (rejects). */
export async function runListen(options: ListenOptions, io: ListenIo): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const server = options.server.replace(/\/+$/, "");
  const paths = relayPaths(options.endpointId, options.token);
  // A share token is the path itself; only API tokens go in the Authorization header.
  const auth: Record<string, string> = options.token && !paths.share ? { Authorization: `Bearer ${options.token}` } : {};
  const policy = options.reconnect ?? RECONNECT_BACKOFF;
  const { signal } = io;

  const queue: CaptureSummary[] = [];
  // The open stream's controller (a holder, so the worker sees the current one).
  const stream: { abort: AbortController | null } = { abort: null };
  let wake: (() => void) | null = null;
  let fatal: unknown = null;
  let stopWorker = false;

  // Deliveries run one at a time, in sequence order, while the stream keeps reading.
  const worker = (async () => {
    while (!signal.aborted && !stopWorker) {
      const next = queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      try {
        await deliver(next);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ListenError) {
          fatal = err;
          stream.abort?.abort();
          return;
        }
        io.log(`${clock()} #${next.seq} ${next.method} ${shortPath(next)} skipped: ${(err as Error).message}`);
      }
    }
  })();
  const poke = () => wake?.();
  signal.addEventListener("abort", poke, { once: true });

  const api = async (path: string): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await doFetch(`${server}${path}`, { headers: auth, signal: AbortSignal.any([signal, AbortSignal.timeout(API_TIMEOUT_MS)]) });
        if (res.ok) return res;
        await res.body?.cancel();
        if (res.status === 401 || res.status === 403) throw new ListenError(`Hookscope refused the token (${res.status}); check --token or HOOKSCOPE_TOKEN.`);
        if (res.status < 500 && res.status !== 429 && res.status !== 408) throw new HttpStatusError(res.status, `the server answered ${res.status}`);
        throw new Error(`the server answered ${res.status}`);
      } catch (err) {
        if (signal.aborted || err instanceof ListenError || err instanceof HttpStatusError || attempt >= FETCH_RETRIES) throw err;
        await sleep(backoffDelay(attempt, policy), signal);
      }
    }
  };

  async function deliver(summary: CaptureSummary): Promise<void> {
    const where = shortPath(summary);
    if (summary.rejected) {
      io.log(`${clock()} #${summary.seq} ${summary.method} ${where} skipped: refused at capture (${summary.rejected}), no body stored`);
      return;
    }
    // Anyone who knows the capture URL chooses the sub-path: "/../admin" (or %2e%2e, backslashes) appended to
    // --to http://localhost:3000/webhooks would reach /admin on the user's machine once the server resolves it.
    // Such a capture is not delivered (the path is sent as captured otherwise, so it cannot be "fixed" here).
    const climbs = capturePathEscape(summary.path);
    if (climbs !== null) {
      io.log(`${clock()} #${summary.seq} ${summary.method} ${where} skipped: ${climbs} of --to ${options.to}; not delivered`);
      return;
    }
    let detail: CaptureDetail;
    let body: Uint8Array;
    let bodyDecoded = false;
    try {
      detail = (await (await api(paths.detail(summary.id))).json()) as CaptureDetail;
      const res = await api(paths.body(summary.id));
      bodyDecoded = res.headers.has("x-hookscope-decode");
      body = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 404) {
        io.log(`${clock()} #${summary.seq} ${summary.method} ${where} skipped: the capture no longer exists`);
        return;
      }
      throw err;
    }
    const bodyMismatch = createHash("sha256").update(body).digest("hex") !== detail.bodySha256;
    const url = targetForCapture(options.to, detail);
    const headers = paths.share ? sendableSharedHeaders(detail, bodyDecoded).headers : detail.headers;
    const result = await sendUnguarded({
      url,
      method: detail.method,
      headers,
      body,
      totalTimeoutMs: options.timeoutMs ?? 30_000,
      connectTimeoutMs: Math.min(5_000, options.timeoutMs ?? 30_000),
      maxResponseBytes: 64 * 1024,
      signal,
    });
    if (signal.aborted) return;
    const delivery = toDelivery(summary, url, result, bodyMismatch);
    io.log(formatDelivery(delivery));
    io.onDelivery?.(delivery);
  }

  let cursor: number | null = options.since ?? null;
  let lastQueued = cursor ?? 0;
  let failures = 0;
  let announced = false;

  try {
    while (!signal.aborted && !fatal) {
      const streamAbort = new AbortController();
      stream.abort = streamAbort;
      const onStop = () => streamAbort.abort();
      signal.addEventListener("abort", onStop, { once: true });
      let reason = "the stream ended";
      try {
        io.onConnect?.(cursor);
        const query = cursor === null ? "" : `?lastEventId=${cursor}`;
        const headers: Record<string, string> = { ...auth, Accept: "text/event-stream" };
        if (cursor !== null) headers["Last-Event-ID"] = String(cursor);
        const res = await doFetch(`${server}${paths.stream}${query}`, {
          headers,
          signal: streamAbort.signal,
        });
        if (res.status === 401 || res.status === 403) throw new ListenError(`Hookscope refused the token (${res.status}); check --token or HOOKSCOPE_TOKEN.`);
        if (res.status === 404) {
          throw new ListenError(
            paths.share
              ? `The share link is not valid on ${server} (expired, revoked, or it shares one capture, not an endpoint).`
              : `No endpoint ${options.endpointId} on ${server} for this token.`,
          );
        }
        if (!res.ok || !res.body) throw new Error(`the server answered ${res.status}`);

        await readEvents(res.body, streamAbort, options.idleTimeoutMs ?? 60_000, (event) => {
          if (event.event === "ready") {
            const lastSeq = (JSON.parse(event.data) as { lastSeq?: unknown }).lastSeq;
            if (typeof lastSeq === "number") {
              cursor = Math.max(cursor ?? 0, lastSeq);
              lastQueued = Math.max(lastQueued, lastSeq);
            }
            failures = 0;
            if (!announced) {
              io.log(`${clock()} listening to ${paths.share ? "a share link" : options.endpointId}, delivering to ${options.to} (Ctrl-C to stop)`);
              if (paths.share) io.log(`${clock()} note: share links deliver MASKED data (secret headers left out, masked body values); use an API token for exact bytes`);
            }
            else io.log(`${clock()} reconnected`);
            announced = true;
          } else if (event.event === "capture") {
            const summary = JSON.parse(event.data) as CaptureSummary;
            const seq = Number(event.id ?? summary.seq);
            cursor = Math.max(cursor ?? 0, seq);
            if (seq <= lastQueued) return; // already queued before a reconnect
            lastQueued = seq;
            queue.push(summary);
            poke();
          } else if (event.event === "error") {
            reason = `the server reported ${event.data}`;
          }
        });
      } catch (err) {
        if (signal.aborted || fatal) break;
        if (err instanceof ListenError) throw err;
        reason = err instanceof Error && err.message ? err.message : String(err);
      } finally {
        signal.removeEventListener("abort", onStop);
      }
      if (signal.aborted || fatal) break;
      failures++;
      const wait = backoffDelay(failures, policy);
      io.log(`${clock()} disconnected (${reason}); reconnecting in ${(wait / 1000).toFixed(1)} s from #${cursor ?? "latest"}`);
      await sleep(wait, signal);
    }
  } finally {
    stopWorker = true;
    poke();
    await worker;
    signal.removeEventListener("abort", poke);
  }
  if (fatal) throw fatal;
}

async function readEvents(body: ReadableStream<Uint8Array>, abort: AbortController, idleMs: number, onEvent: (e: EventSourceMessage) => void): Promise<void> {
  const parser = createParser({ onEvent });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let idle = setTimeout(() => abort.abort(), idleMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      clearTimeout(idle);
      if (done) break;
      idle = setTimeout(() => abort.abort(), idleMs);
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (err) {
    if (abort.signal.aborted) throw new Error(`no data for ${Math.round(idleMs / 1000)} s`);
    throw err;
  } finally {
    clearTimeout(idle);
    reader.releaseLock();
  }
}

function toDelivery(summary: CaptureSummary, url: string, result: SendResult, bodyMismatch: boolean): Delivery {
  return {
    seq: summary.seq,
    captureId: summary.id,
    method: result.request.method,
    url,
    status: result.response?.status ?? null,
    durationMs: result.response?.durationMs ?? result.durationMs,
    error: result.error,
    bodyMismatch,
  };
}

function shortPath(c: { path: string; query: string }): string {
  return `${c.path || "/"}${c.query ? `?${c.query}` : ""}`;
}

function clock(date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}`;
}

/** "12:00:01.042 #17 POST /webhooks/stripe?x=1 → 200 12 ms" or "… → error connection_refused (…)". */
export function formatDelivery(d: Delivery, at = new Date()): string {
  let path: string;
  try {
    const u = new URL(d.url);
    path = u.pathname + u.search;
  } catch {
    path = d.url;
  }
  const outcome = d.error ? `error ${d.error.code} (${d.error.message})` : `${d.status}`;
  const warn = d.bodyMismatch ? " [body differs from the capture's SHA-256: redacted?]" : "";
  return `${clock(at)} #${d.seq} ${d.method} ${path} → ${outcome} ${d.durationMs} ms${warn}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Command line

export const USAGE = `Usage: hookscope listen <endpoint URL or id> --to <local URL> [options]

Relays every new capture of a Hookscope endpoint to a local server, byte-exact
(method, sub-path, query, headers in order, body), one line per delivery.

  <endpoint>        the endpoint's dashboard URL (https://hookscope.example/e/ep_…),
                    its capture URL (…/in/<token>), its id (ep_…), or a share
                    link (…/s/hs_shr_…)
  --to <url>        where to deliver, e.g. http://localhost:3000/webhooks
  --server <url>    Hookscope's URL (default: from the endpoint URL, else
                    $HOOKSCOPE_SERVER, else http://localhost:3000)
  --token <token>   API token hs_tok_… (default: $HOOKSCOPE_TOKEN); a share
                    token hs_shr_… also works, but share links deliver MASKED
                    data (secret headers left out, masked body values)
  --since <seq>     first deliver the captures after this sequence number
                    (those made while the relay was stopped)
  --timeout <ms>    per delivery (default 30000)
`;

export interface EndpointRef {
  server: string;
  endpointId?: string;
  /** From a capture URL: the token or alias, looked up through the API. */
  captureKey?: string;
  /** From a share URL (…/s/hs_shr_…): the share token. */
  shareToken?: string;
}

/** An endpoint URL (dashboard, API or capture URL) or a bare id → where and what to follow. */
export function parseEndpointRef(ref: string, server: string | undefined, env: Record<string, string | undefined>): EndpointRef {
  if (/^https?:\/\//i.test(ref)) {
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      throw new ListenError(`${ref} is not a valid URL.`);
    }
    const base = (server ?? url.origin).replace(/\/+$/, "");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const after = (...prefix: string[]) => (prefix.every((p, i) => parts[i] === p) ? parts[prefix.length] : undefined);
    const id = after("e") ?? after("api", "endpoints");
    if (id) return { server: base, endpointId: id };
    const key = after("in");
    if (key) return { server: base, captureKey: key };
    const share = after("s");
    if (share && isShareToken(share)) return { server: base, shareToken: share };
    throw new ListenError(`${ref} is not an endpoint URL (…/e/<id>, …/in/<token> or …/s/<share token>).`);
  }
  if (!ref || /[/?#\s]/.test(ref)) throw new ListenError(`${JSON.stringify(ref)} is not an endpoint id.`);
  return { server: (server ?? env.HOOKSCOPE_SERVER ?? "http://localhost:3000").replace(/\/+$/, ""), endpointId: ref };
}

/** A capture URL names a token or alias: find the endpoint among those the token can see. */
export async function resolveCaptureKey(ref: EndpointRef, token: string | undefined, doFetch: typeof fetch = fetch): Promise<string> {
  if (ref.endpointId) return ref.endpointId;
  // A share link names its endpoint itself; the id is only a label then.
  if (isShareToken(token)) return ref.shareToken ?? "shared";
  const res = await doFetch(`${ref.server}/api/endpoints`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (res.status === 401 || res.status === 403) throw new ListenError(`Hookscope refused the token (${res.status}); check --token or HOOKSCOPE_TOKEN.`);
  if (!res.ok) throw new ListenError(`Could not list endpoints on ${ref.server} (${res.status}); pass the endpoint id (ep_…) instead.`);
  const { endpoints } = (await res.json()) as { endpoints?: { id: string; token?: string; alias?: string | null }[] };
  const hit = endpoints?.find((e) => e.token === ref.captureKey || (e.alias && e.alias === ref.captureKey));
  if (!hit) throw new ListenError(`No endpoint with that capture URL is visible to this token; pass the endpoint id (ep_…) instead.`);
  return hit.id;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  signal: AbortSignal;
  fetch?: typeof fetch;
}

/** The `hookscope` command; resolves to the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: "string" },
        server: { type: "string" },
        token: { type: "string" },
        since: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    io.err(`hookscope: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === "help") {
    io.out(USAGE);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const [command, ref, ...extra] = positionals;
  const usage = (message: string) => {
    io.err(`hookscope: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (command !== "listen") return usage(`unknown command ${JSON.stringify(command)}`);
  if (!ref || extra.length) return usage("give exactly one endpoint URL or id");
  if (!values.to) return usage("--to is required");
  try {
    const to = new URL(values.to);
    if (to.protocol !== "http:" && to.protocol !== "https:") return usage("--to must be an http:// or https:// URL");
  } catch {
    return usage("--to must be an http:// or https:// URL");
  }
  const since = values.since === undefined ? null : /^\d+$/.test(values.since) ? Number(values.since) : NaN;
  if (Number.isNaN(since)) return usage("--since must be a capture sequence number (0 or more)");
  const timeoutMs = values.timeout === undefined ? 30_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) return usage("--timeout must be a number of milliseconds (100 or more)");
  try {
    const endpoint = parseEndpointRef(ref, values.server, io.env);
    const token = endpoint.shareToken ?? values.token ?? io.env.HOOKSCOPE_TOKEN;
    const endpointId = await resolveCaptureKey(endpoint, token, io.fetch);
    await runListen(
      { server: endpoint.server, endpointId, to: values.to, token, since, timeoutMs, fetch: io.fetch },
      { signal: io.signal, log: io.out },
    );
    return 0;
  } catch (err) {
    if (err instanceof ListenError) {
      io.err(`hookscope: ${err.message}`);
      return 1;
    }
    io.err(`hookscope: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
