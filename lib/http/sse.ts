// Server-Sent Events of new captures for one endpoint. Each event's id is the capture sequence.
// A client that reconnects with Last-Event-ID first gets every capture it missed, in order, from
// the database, then live ones: it subscribes (and waits until the bus is ready) before reading
// the database and drops duplicates, so nothing committed in between falls through the gap.
import { liveFeed } from "../live/bus";
import type { StreamEnd } from "../live/stream-end";
import { capturesAfter, latestSeq } from "../capture/store";
import type { CaptureSummary } from "../model/capture";
import { config } from "../config";
import { AppError } from "../errors";
import { shared } from "../runtime/shared";

const REPLAY_PAGE = 500;
/** How often a stream's access is checked again after it opened (share links use the same bound). */
export const STREAM_RECHECK_MS = 5000;

const openStreams = () => shared("sse-open", () => new Map<string, number>());
/** Each open stream's "end for shutdown", and whether the process is shutting down (SIGTERM). */
const shutdown = () => shared("sse-shutdown", () => ({ closing: false, streams: new Set<() => void>() }));
/** Live streams open in this process (metrics). */
export function openStreamCount(): number {
  let n = 0;
  for (const count of openStreams().values()) n += count;
  return n;
}

/** How soon a client told the server is going away reconnects (to another instance, or this one restarted). */
export const SHUTDOWN_RETRY_MS = 1000;
const SHUTDOWN_EVENT = `retry: ${SHUTDOWN_RETRY_MS}\nevent: shutdown\ndata: ${JSON.stringify({ reason: "shutting_down", message: "This server is shutting down; reconnect." })}\n\n`;

/**
 * SIGTERM (server.ts): every open stream gets a `retry:` hint and a `shutdown` event, then ends, so
 * the browser reconnects at once with Last-Event-ID (to another instance behind the proxy, or this
 * one once restarted) and misses nothing; a stream opened from now on gets the same and ends.
 * Answers how many were open.
 */
export function endStreamsForShutdown(): number {
  const s = shutdown();
  s.closing = true;
  const open = [...s.streams];
  for (const end of open) end();
  return open.length;
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform keeps compression (Next's or a proxy's) from holding events back.
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
};

export function parseLastEventId(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export function openCaptureStream(
  endpointId: string,
  lastEventId: number | null,
  signal: AbortSignal,
  /**
   * Applied to every event before it is sent (masking). It may answer with a promise (masking had to
   * decode or read the body): events still go out in order, and one whose promise fails is skipped
   * (its capture is gone).
   */
  transform: (c: CaptureSummary) => CaptureSummary | Promise<CaptureSummary> = (c) => c,
  /** Called once when the stream ends, whoever ends it (the client, SSE_MAX_AGE_MS, a failed replay). */
  onClose?: () => void,
  /**
   * Access is checked on subscribe; this checks it again every STREAM_RECHECK_MS for as long as
   * the stream is open. A StreamEnd ends the stream with an `access_ended` event saying why; a
   * failed check ends it with `error` (recheck_failed) and the client's reconnect is authorized
   * afresh, so a check that cannot run never keeps a stream alive.
   */
  recheck?: () => Promise<StreamEnd | null>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  if (shutdown().closing) {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(SHUTDOWN_EVENT));
        controller.close();
      },
    });
  }
  const count = openStreams().get(endpointId) ?? 0;
  if (count >= config().SSE_MAX_PER_ENDPOINT) {
    throw new AppError("too_many_streams", "Too many live views are open for this endpoint; close one and retry.");
  }
  openStreams().set(endpointId, count + 1);

  let cleanup = () => {};
  let endForShutdown = () => {};

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let live = false;
      let replayedUpTo = 0;
      const buffered: CaptureSummary[] = [];

      // Events sent in one turn (a committed group arrives as one batch) go out as one chunk: each
      // chunk costs a pass through the response stream and a socket write.
      let pending = "";
      /** Hands what was sent so far to the stream; false when the client is already gone. */
      const write = () => {
        const text = pending;
        pending = "";
        if (!text) return true;
        try {
          controller.enqueue(encoder.encode(text));
          return true;
        } catch {
          return false;
        }
      };
      const flush = () => {
        if (!closed && !write()) cleanup();
      };
      const send = (text: string) => {
        if (closed) return;
        if (!pending) queueMicrotask(flush);
        pending += text;
      };
      const frame = (c: CaptureSummary, shown: CaptureSummary) => `id: ${c.seq}\nevent: capture\ndata: ${JSON.stringify(shown)}\n\n`;
      // Events shaped at once go out at once (and in one chunk per turn); once one is waiting for its
      // promise, the ones after it queue behind it, so the order never changes.
      let waiting = 0;
      let tail: Promise<void> = Promise.resolve();
      const emit = (c: CaptureSummary) => {
        let shown: CaptureSummary | Promise<CaptureSummary>;
        try {
          shown = transform(c);
        } catch {
          return;
        }
        if (waiting === 0 && !(shown instanceof Promise)) return send(frame(c, shown));
        waiting++;
        // Settled here, at once: a failure must not wait for the events before it to count as handled.
        const settled = Promise.resolve(shown).then(
          (s) => s,
          () => null,
        );
        tail = tail
          .then(() => settled)
          .then((s) => {
            waiting--;
            if (s) send(frame(c, s));
          });
      };

      const unsubscribe = liveFeed().subscribe(endpointId, (c) => {
        if (!live) buffered.push(c);
        else if (c.seq > replayedUpTo) emit(c);
      });
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), config().SSE_KEEPALIVE_MS);
      // Bounded lifetime (SSE_MAX_AGE_MS) lets proxies rebalance and proves resumption works:
      // the browser reconnects with Last-Event-ID and misses nothing.
      const maxAge = config().SSE_MAX_AGE_MS > 0 ? setTimeout(() => cleanup(), config().SSE_MAX_AGE_MS) : undefined;
      let checking = false;
      const rechecks = recheck
        ? setInterval(() => {
            if (checking || closed) return;
            checking = true;
            recheck().then(
              (end) => {
                checking = false;
                if (!end || closed) return;
                send(`event: access_ended\ndata: ${JSON.stringify(end)}\n\n`);
                cleanup();
              },
              () => {
                checking = false;
                send('event: error\ndata: {"code":"recheck_failed"}\n\n');
                cleanup();
              },
            );
          }, STREAM_RECHECK_MS)
        : undefined;
      endForShutdown = () => {
        send(SHUTDOWN_EVENT);
        cleanup();
      };
      shutdown().streams.add(endForShutdown);
      cleanup = () => {
        if (closed) return;
        closed = true;
        shutdown().streams.delete(endForShutdown);
        // What was sent in this turn still goes out before the end.
        write();
        unsubscribe();
        clearInterval(keepAlive);
        clearInterval(rechecks);
        clearTimeout(maxAge);
        openStreams().set(endpointId, (openStreams().get(endpointId) ?? 1) - 1);
        onClose?.();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      if (signal.aborted) return cleanup();
      signal.addEventListener("abort", cleanup, { once: true });

      send("retry: 2000\n: connected\n\n");
      try {
        // The capture door (another thread) publishes to this endpoint from here on.
        await liveFeed().ready(endpointId);
        if (lastEventId === null) {
          replayedUpTo = await latestSeq(endpointId);
        } else {
          replayedUpTo = lastEventId;
          for (;;) {
            const page = await capturesAfter(endpointId, replayedUpTo, REPLAY_PAGE);
            for (const c of page) emit(c);
            if (page.length) replayedUpTo = page[page.length - 1]!.seq;
            if (page.length < REPLAY_PAGE || closed) break;
          }
        }
      } catch {
        send('event: error\ndata: {"code":"replay_failed"}\n\n');
        cleanup();
        return;
      }
      // Replayed events still being shaped go out before `ready`.
      await tail;
      send(`event: ready\ndata: ${JSON.stringify({ lastSeq: replayedUpTo })}\n\n`);
      buffered.sort((a, b) => a.seq - b.seq);
      for (const c of buffered) if (c.seq > replayedUpTo) emit(c);
      live = true;
    },
    cancel() {
      cleanup();
    },
  });
}
