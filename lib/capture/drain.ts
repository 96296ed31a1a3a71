// The rest of a refused upload, read and discarded, so the sender reads the answer instead of a reset.
import type { IncomingMessage } from "node:http";

/**
 * A refused oversized upload is read and discarded (so the sender, still writing, can read the
 * 413 instead of a reset) until it ends, stalls for DRAIN_IDLE_MS, or passes DRAIN_MAX_BYTES.
 */
const DRAIN_IDLE_MS = 2000;
const DRAIN_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Reads and discards the rest of a refused upload. Resolves once it has ended or stalled for
 * DRAIN_IDLE_MS: the 413 goes out then, so a sender still writing reads it instead of a reset
 * (answering earlier and closing would cut the upload). Past DRAIN_MAX_BYTES the socket is closed.
 * A sender that sent "Expect: 100-continue" and was not told to continue sends no body: at once.
 * Resolves true when the request was read to its end (the connection can serve the next request).
 */
export function drainRequest(req: IncomingMessage, bodyWithheld: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    if (bodyWithheld) return resolve(false);
    if (req.readableEnded) return resolve(true);
    req.removeAllListeners("data");
    let drained = 0;
    let timer = setTimeout(() => resolve(false), DRAIN_IDLE_MS);
    req.on("data", (chunk: Buffer) => {
      drained += chunk.length;
      clearTimeout(timer);
      if (drained > DRAIN_MAX_BYTES) {
        req.socket.destroy();
        return resolve(false);
      }
      timer = setTimeout(() => resolve(false), DRAIN_IDLE_MS);
    });
    const done = (ended: boolean) => () => {
      clearTimeout(timer);
      resolve(ended);
    };
    req.once("end", done(true));
    req.once("close", done(false));
  });
}
