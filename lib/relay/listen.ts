// The relay loop behind `hookscope listen` (see cli.ts): follow the stream, fetch each capture, deliver it.
import { createHash } from "node:crypto";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { CaptureDetail, CaptureSummary } from "../model/capture";
import { backoffDelay, RECONNECT_BACKOFF, type BackoffPolicy } from "../replay/backoff";
import { targetForCapture } from "../replay/build-request";
import { sendUnguarded } from "../replay/send";
import { capturePathEscape } from "../replay/target-url";
import { ListenError, relayPaths, sendableSharedHeaders } from "./access";
import { clock, type Delivery, formatDelivery, shortPath, toDelivery } from "./delivery";

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

export interface ListenIo {
  signal: AbortSignal;
  /** One line per delivery and per connection change. */
  log: (line: string) => void;
  onDelivery?: (delivery: Delivery) => void;
  /** Called with the cursor each time the stream is (re)opened: tests watch reconnection. */
  onConnect?: (cursor: number | null) => void;
}

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
        const res = await doFetch(`${server}${path}`, {
          headers: auth,
          signal: AbortSignal.any([signal, AbortSignal.timeout(API_TIMEOUT_MS)]),
        });
        if (res.ok) return res;
        await res.body?.cancel();
        if (res.status === 401 || res.status === 403)
          throw new ListenError(`Hookscope refused the token (${res.status}); check --token or HOOKSCOPE_TOKEN.`);
        if (res.status < 500 && res.status !== 429 && res.status !== 408)
          throw new HttpStatusError(res.status, `the server answered ${res.status}`);
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
        if (res.status === 401 || res.status === 403)
          throw new ListenError(`Hookscope refused the token (${res.status}); check --token or HOOKSCOPE_TOKEN.`);
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
              io.log(
                `${clock()} listening to ${paths.share ? "a share link" : options.endpointId}, delivering to ${options.to} (Ctrl-C to stop)`,
              );
              if (paths.share)
                io.log(
                  `${clock()} note: share links deliver MASKED data (secret headers left out, masked body values); use an API token for exact bytes`,
                );
            } else io.log(`${clock()} reconnected`);
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

async function readEvents(
  body: ReadableStream<Uint8Array>,
  abort: AbortController,
  idleMs: number,
  onEvent: (e: EventSourceMessage) => void,
): Promise<void> {
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
