// Checkpoints SQLite's WAL on its own thread. A checkpoint copies committed pages from the WAL into
// the database file and syncs it: done inside a capture commit (SQLite's automatic checkpoint every
// 1,000 pages) it stalled every sender waiting on that commit for 10-20 ms. Here, a PASSIVE
// checkpoint every CHECKPOINT_INTERVAL_MS copies what was committed since the last one, without
// blocking the capture writer or any reader. The capture connection keeps an automatic checkpoint
// at a much larger WAL size, as a fallback should this thread fall behind (lib/capture/sqlite-insert.ts).
import "../../runtime/server-only";
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { databaseTarget, SQLITE_BUSY_TIMEOUT_MS } from "../../db/client";
import { log } from "../../runtime/log";

const CHECKPOINT_INTERVAL_MS = 100;

const target = databaseTarget();
if (target.provider !== "sqlite") throw new Error("the checkpoint worker is for SQLite");
const db = new Database(target.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
let failures = 0;

const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (err) {
    // Busy or failing: the next interval tries again; the writer's own checkpoint is the fallback.
    if (++failures === 50) log().warn({ err: (err as Error).message }, "WAL checkpoints keep failing");
  }
}, CHECKPOINT_INTERVAL_MS);

parentPort?.on("message", (msg: { close?: boolean }) => {
  if (!msg.close) return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
