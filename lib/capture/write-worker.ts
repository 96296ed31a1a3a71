// Worker thread that commits capture groups. better-sqlite3 is synchronous: a commit on the main
// thread would stall every request the server is parsing. Here the next group gathers on the main
// thread while this one commits, and the insert's CPU runs on the other core.
import { parentPort } from "node:worker_threads";
import { captureAdapter } from "../db/capture-adapter";
import { isBusyError } from "../db/errors";
import { insertCaptures } from "./store";
import type { NewCapture } from "./types";

export type WriteRequest = { batch: number; rows: NewCapture[] };
export type WriteReply =
  | { batch: number; seqs: [string, number][] }
  | { batch: number; error: string; busy: boolean };

const port = parentPort;
if (!port) throw new Error("write-worker must run in a worker thread");

const ready = captureAdapter();

port.on("message", async ({ batch, rows }: WriteRequest) => {
  try {
    await ready;
    for (const r of rows) r.body = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
    const seqs = await insertCaptures(rows);
    port.postMessage({ batch, seqs: [...seqs] } satisfies WriteReply);
  } catch (err) {
    port.postMessage({ batch, error: err instanceof Error ? err.message : String(err), busy: isBusyError(err) } satisfies WriteReply);
  }
});
port.postMessage({ ready: true });
