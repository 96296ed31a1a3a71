// The SQLite search index's own thread (started by the write worker, at the lowest scheduling priority): feeds
// the FTS5 index in the search file from CaptureSearch (search-indexer.ts), in batches sized by time, and
// sweeps stale entries when caught up. It never takes the main file's write lock, so capture commits never wait
// for it; it only takes the CPU the serving threads leave (at saturation the index falls behind and the search
// reads the rows outside its range with LIKE; it catches up when the load drops).
import "../../runtime/server-only";
import { parentPort } from "node:worker_threads";
import { databaseTarget } from "../../db/adapter";
import { SQLITE_BUSY_TIMEOUT_MS } from "../../db/target";
import { log } from "../../runtime/log";
import { INDEX_MAX_ROWS, INDEX_MIN_ROWS, SearchIndexer } from "./search-indexer";

/** A batch should take about this long (it holds only the search file's lock). */
const TARGET_MS = 50;
/** Between batches while behind; between looks once caught up; after a failure. */
const PAUSE_MS = 1;
const POLL_MS = 200;
const RETRY_MS = 2000;
/**
 * Caught up, with a whole sweep of the index done since the last entry indexed or removed, for this long: the
 * thread ends (the write worker starts it again when there is work, write-worker.ts).
 */
const IDLE_EXIT_MS = 3000;

const target = databaseTarget();
if (target.provider !== "sqlite") throw new Error("the search index worker is for SQLite");
const indexer = new SearchIndexer(target.file, SQLITE_BUSY_TIMEOUT_MS);
let rows = 500;
let failures = 0;
let timer: NodeJS.Timeout | null = null;
let lastWorkAt = performance.now();
let wrapsAtLastWork = indexer.sweepWraps;

function next(ms: number) {
  timer = setTimeout(tick, ms);
}

function tick() {
  timer = null;
  try {
    const started = performance.now();
    const n = indexer.step(rows);
    const ms = performance.now() - started;
    failures = 0;
    if (n === rows) rows = Math.max(INDEX_MIN_ROWS, Math.min(INDEX_MAX_ROWS, Math.round(ms > TARGET_MS ? rows / 2 : rows * 1.25)));
    else if (ms > TARGET_MS) rows = Math.max(INDEX_MIN_ROWS, Math.round(rows / 2));
    if (n > 0) {
      lastWorkAt = performance.now();
      wrapsAtLastWork = indexer.sweepWraps;
      next(PAUSE_MS);
    } else {
      if (indexer.sweep() > 0) {
        lastWorkAt = performance.now();
        wrapsAtLastWork = indexer.sweepWraps;
      }
      // Two wraps since the last work: one whole pass from the first rowid found nothing stale.
      if (indexer.sweepWraps >= wrapsAtLastWork + 2 && performance.now() - lastWorkAt >= IDLE_EXIT_MS) return stop(true);
      next(POLL_MS);
    }
  } catch (err) {
    if (++failures === 1 || failures % 50 === 0) log().warn({ err: (err as Error).message, failures }, "search index batch failed");
    next(RETRY_MS);
  }
}
next(PAUSE_MS);

function stop(idle: boolean) {
  if (timer) clearTimeout(timer);
  timer = null;
  indexer.close();
  if (idle) parentPort!.postMessage({ idle: true });
  parentPort!.close();
}

parentPort?.on("message", (msg: { close?: boolean }) => {
  if (msg.close) stop(false);
});
