// SQLite: the search projection's own thread (started by the write worker at the lowest scheduling priority,
// SCHED_IDLE): for the tail of captures committed without their projection (search-tail.ts), it reads each asked
// range from the main file on a read-only connection (WAL: never in the writer's way) and computes the rows'
// CaptureSearch values, which the write worker inserts between commits. The CPU-heavy half of the projection
// (decoding, parsing, signature detection: 15-25 µs per 1 KB capture) thus only takes a core the serving
// threads leave; the write thread keeps the insert (about 10 µs). The entry that gives it the projection
// function is lib/search/project-worker-main.ts (lib/capture cannot import lib/search).
import "../../runtime/server-only";
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { databaseTarget, SQLITE_BUSY_TIMEOUT_MS } from "../../db/client";
import { CAPTURE_COLUMNS, type CaptureRowValues } from "./rows";
import type { Projector } from "./search-backfill";
import type { TailReply, TailRequest } from "./search-tail";

export type ProjectRequest = TailRequest & { id: number };
export type ProjectReply = TailReply & { id: number };

const SELECT_COLUMNS = ["seq", ...CAPTURE_COLUMNS].map((c) => `"${c}"`).join(", ");

export function startProjectWorker(projector: Projector): void {
  const port = parentPort;
  if (!port) throw new Error("search-project-worker must run in a worker thread");
  const target = databaseTarget();
  if (target.provider !== "sqlite") throw new Error("the search projection thread is for SQLite");
  const db = new Database(target.file, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const read = db.prepare(`SELECT ${SELECT_COLUMNS} FROM "Capture" WHERE "seq" >= ? ORDER BY "seq" LIMIT ?`).raw();
  port.on("message", async (msg: ProjectRequest | { close: true }) => {
    if ("close" in msg) {
      db.close();
      port.close();
      return;
    }
    const found = read.all(msg.from, msg.limit) as unknown[][];
    const search = await projector.project(found.map((r): CaptureRowValues => r.slice(1)));
    port.postMessage({ id: msg.id, seqs: found.map((r) => Number(r[0])), search } satisfies ProjectReply);
  });
}
