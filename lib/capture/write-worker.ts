// Worker thread that commits captures. better-sqlite3 is synchronous: a commit on the main thread
// would stall every request the server is parsing. The main thread posts each group as soon as it
// forms, without waiting; here, everything that arrived while the previous commit ran is written
// by the next one (group commit on this side too), so the database never idles while captures
// wait, and a sender waits for at most the commit in progress plus its own.
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

/** Most rows, and bytes, one commit takes. */
const MAX_ROWS = 512;
const MAX_BYTES = 16 * 1024 * 1024;

const ready = captureAdapter();
const waiting: WriteRequest[] = [];
let scheduled = false;

function schedule() {
  if (scheduled || waiting.length === 0) return;
  scheduled = true;
  setImmediate(() => void commit());
}

function takeGroups(): WriteRequest[] {
  const taken: WriteRequest[] = [];
  let rows = 0;
  let bytes = 0;
  while (waiting.length) {
    const next = waiting[0]!;
    const size = next.rows.reduce((n, r) => n + r.body.byteLength, 0);
    if (taken.length && (rows + next.rows.length > MAX_ROWS || bytes + size > MAX_BYTES)) break;
    taken.push(waiting.shift()!);
    rows += next.rows.length;
    bytes += size;
  }
  return taken;
}

/**
 * One statement for the whole group; if it fails for a reason other than a lock (say a capture
 * whose endpoint was deleted a moment ago), each capture is retried alone so one bad row cannot
 * refuse every other sender in the group. Rows missing from the result are answered 503.
 */
async function insertAll(rows: NewCapture[]): Promise<Map<string, number>> {
  try {
    return await insertCaptures(rows);
  } catch (err) {
    if (rows.length === 1 || isBusyError(err)) throw err;
    const seqs = new Map<string, number>();
    for (const row of rows) {
      try {
        for (const [id, seq] of await insertCaptures([row])) seqs.set(id, seq);
      } catch (rowErr) {
        if (isBusyError(rowErr)) throw rowErr;
      }
    }
    return seqs;
  }
}

async function commit() {
  const groups = takeGroups();
  try {
    await ready;
    const rows = groups.flatMap((g) => g.rows);
    for (const r of rows) r.body = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
    const seqs = await insertAll(rows);
    for (const g of groups) {
      const committed = g.rows.flatMap((r): [string, number][] => (seqs.has(r.id) ? [[r.id, seqs.get(r.id)!]] : []));
      port!.postMessage({ batch: g.batch, seqs: committed } satisfies WriteReply);
    }
  } catch (err) {
    const reply = { error: err instanceof Error ? err.message : String(err), busy: isBusyError(err) };
    for (const g of groups) port!.postMessage({ batch: g.batch, ...reply } satisfies WriteReply);
  } finally {
    scheduled = false;
    schedule();
  }
}

port.on("message", (request: WriteRequest) => {
  waiting.push(request);
  schedule();
});
port.postMessage({ ready: true });
