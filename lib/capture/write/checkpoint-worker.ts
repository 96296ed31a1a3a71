// Checkpoints SQLite's WAL on its own thread. A checkpoint copies committed pages from the WAL into
// the database file and syncs it: done inside a capture commit (SQLite's automatic checkpoint every
// 1,000 pages) it stalled every sender waiting on that commit for 10-20 ms. Here, a PASSIVE
// checkpoint every CHECKPOINT_INTERVAL_MS copies what was committed since the last one, without
// blocking the capture writer or any reader. The capture connection keeps an automatic checkpoint
// at a much larger WAL size, as a fallback should this thread fall behind (lib/capture/sqlite-insert.ts).
//
// Kept small (issue 17: each thread is its own V8 heap): it imports better-sqlite3 and nothing of
// ours that loads the Prisma clients, zod or the logger; the write worker names the file
// (workerData) and logs for it.
import "../../runtime/server-only";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { SQLITE_BUSY_TIMEOUT_MS } from "../../db/target";

const CHECKPOINT_INTERVAL_MS = 100;

export type CheckpointData = { file: string };
export type CheckpointReport = { failing: string };

const { file } = workerData as CheckpointData;
const db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
let failures = 0;

const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (err) {
    // Busy or failing: the next interval tries again; the writer's own checkpoint is the fallback.
    if (++failures === 50) parentPort?.postMessage({ failing: (err as Error).message } satisfies CheckpointReport);
  }
}, CHECKPOINT_INTERVAL_MS);

parentPort?.on("message", (msg: { close?: boolean }) => {
  if (!msg.close) return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
