// Worker thread that commits captures. better-sqlite3 is synchronous: a commit on the main thread
// would stall every request the server is parsing. The main thread posts each group as soon as it
// forms, without waiting; here, everything that arrived while the previous commit ran is written
// by the next one (group commit on this side too), so the database never idles while captures
// wait. On SQLite a commit's senders are answered once its WAL sync returns (sqlite-insert.ts); the
// next commit does not wait for that sync.
//
// Each capture's search projection (CaptureSearch) is computed here, off the door thread, and inserted in
// the capture's own commit while the writer keeps up; on SQLite, when groups queue up behind it, captures are
// committed alone and their projection follows between commits (search-tail.ts), so the projection never
// slows the acknowledgements of a backlog. The function that computes it is given by the worker's entry
// (lib/search/write-worker-main.ts: lib/search reads lib/signatures, which reads lib/capture, so this
// folder cannot import it). Between commits, when nothing waits, search-backfill.ts fills the projection of
// rows stored before it existed.
import "../../runtime/server-only";
import { parentPort, type Worker } from "node:worker_threads";
import { captureAdapter } from "../../db/capture-adapter";
import { config } from "../../config";
import { databaseTarget, sqlitePragmas } from "../../db/adapter";
import { SQLITE_BUSY_TIMEOUT_MS } from "../../db/target";
import { isBusyError, isStorageUnavailable } from "../../db/errors";
import { log } from "../../runtime/log";
import { startWorker } from "../../runtime/worker-files";
import { bodyLength, insertCaptureRows, type CaptureRowValues, type SearchRowValues } from "./rows";
import { type Projector, SearchBackfill } from "./search-backfill";
import type { ProjectReply, ProjectRequest } from "./search-project-worker";
import { SearchTail, TAIL_MAX_ROWS, type TailRequest } from "./search-tail";
import { sqliteCaptureInserter } from "./sqlite-insert";
import type { CheckpointData, CheckpointReport } from "./checkpoint-worker";

export type WriteRequest = { batch: number; rows: CaptureRowValues[] };
/** seqs: one per row posted, in order; 0 for a row that was not stored. */
/** `commit` rides on the first reply of each commit (metrics: rows in it, and its time in ms). */
export type WriteReply =
  | { batch: number; seqs: number[]; commit?: { rows: number; ms: number } }
  | { batch: number; error: string; busy: boolean };

const port = parentPort;
if (!port) throw new Error("write-worker must run in a worker thread");

/** Most rows, and bytes, one commit takes. */
const MAX_ROWS = 512;
const MAX_BYTES = 16 * 1024 * 1024;
/** WAL syncs in flight at once; commits that finish meanwhile share the next one. */
const MAX_FLUSHES = 4;

const target = databaseTarget();
// SQLite: better-sqlite3 with the insert prepared once (lib/capture/sqlite-insert.ts);
// PostgreSQL: Prisma's driver adapter and its connection pool (its commits are durable as they return).
const sqlite =
  target.provider === "sqlite"
    ? sqliteCaptureInserter(target.file, {
        busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
        pragmas: sqlitePragmas(),
        syncsItself: config().SQLITE_SYNCHRONOUS === "FULL",
        // The checkpoint thread does the work; this is only the fallback should it fall behind.
        autocheckpointPages: 10_000,
      })
    : null;
const flushing = sqlite !== null;
const ready = sqlite ? Promise.resolve() : captureAdapter();
const insertRows = async (rows: CaptureRowValues[], search: SearchRowValues[] | undefined): Promise<number[]> =>
  sqlite ? sqlite.insert(rows, search) : insertCaptureRows(rows, search);
let projector: Projector | null = null;
let backfill: SearchBackfill | null = null;
/** SQLite: captures committed without their projection, projected between commits. */
let tail: SearchTail | null = null;
/** After a failed tail step, the next waits until then (ms epoch). */
let tailPausedUntil = 0;
const TAIL_RETRY_MS = 1000;
/** SQLite: the thread that computes the tail's projections (search-project-worker.ts), the range it was asked, its answer. */
let projectThread: Worker | null = null;
let projectThreadStarted = false;
let asked: (TailRequest & { id: number }) | null = null;
let answered: ProjectReply | null = null;
let askedIds = 0;

/** WAL checkpoints run on their own thread (checkpoint-worker.ts), never inside a capture commit. */
function startCheckpointer(file: string) {
  const worker = startWorker("checkpoint", { file } satisfies CheckpointData);
  worker.on("message", (msg: CheckpointReport) => log().warn({ err: msg.failing }, "WAL checkpoints keep failing"));
  worker.on("error", (err) => log().error({ err: err.message }, "checkpoint worker failed"));
  worker.on("exit", () => setTimeout(() => startCheckpointer(file), 1000).unref());
  worker.unref();
}
if (target.provider === "sqlite") startCheckpointer(target.file);

/**
 * SQLite: the search index is fed on its own thread, in its own file (search-index-worker.ts). The thread
 * runs only while there is something to index or sweep: it ends itself once caught up and idle (an idle
 * isolate is ~10 MB of the server's footprint, issue 17), and is started again when captures commit, the
 * backfill fills rows, or another connection writes the database (a deletion leaves index entries to sweep:
 * PRAGMA data_version, polled every second while the thread is down, tells). A thread that ends any other
 * way (a crash) is started again after a second, as before.
 */
const indexer = { worker: null as Worker | null, idle: false, wanted: false };
function startSearchIndexer() {
  if (indexer.worker) return;
  const worker = startWorker("search-index", { lowPriority: "idle" });
  log().debug("search index thread started");
  indexer.worker = worker;
  indexer.idle = false;
  indexer.wanted = false;
  worker.on("message", (msg: { idle?: boolean }) => {
    if (msg.idle) indexer.idle = true;
  });
  worker.on("error", (err) => log().error({ err: err.message }, "search index worker failed"));
  worker.on("exit", () => {
    indexer.worker = null;
    if (indexer.idle) log().debug("search index thread ended (idle)");
    // Work that arrived while it was deciding to stop is taken at once.
    if (indexer.idle && indexer.wanted) startSearchIndexer();
    else if (!indexer.idle) setTimeout(startSearchIndexer, 1000).unref();
  });
  worker.unref();
}
/** Something for the search index: start its thread, or (running) make sure it looks again. */
function wakeSearchIndexer() {
  if (!sqlite) return;
  if (indexer.worker) indexer.wanted = true;
  else startSearchIndexer();
}
if (sqlite) {
  const dataVersion = () => Number(sqlite.db.pragma("data_version", { simple: true }));
  let seen = dataVersion();
  startSearchIndexer();
  const watch = setInterval(() => {
    const now = dataVersion();
    if (now !== seen) wakeSearchIndexer();
    seen = now;
  }, 1000);
  watch.unref();
}

/** SQLite: the tail's projections are computed on their own thread, at the lowest priority. */
function startProjectThread() {
  const worker = startWorker("search-project", { lowPriority: "idle" });
  worker.on("message", (msg: ProjectReply) => {
    if (asked?.id !== msg.id) return;
    answered = msg;
    schedule();
  });
  worker.on("error", (err) => log().error({ err: err.message }, "search projection worker failed"));
  worker.on("exit", () => {
    if (projectThread === worker) projectThread = null;
    asked = null;
    answered = null;
    setTimeout(startProjectThread, 1000).unref();
  });
  worker.unref();
  projectThread = worker;
}

/** Asks the projection thread for the tail's next range, unless one is asked already. */
function askProjection() {
  if (!tail?.pending || !projectThread || asked) return;
  const request = tail.request();
  if (!request) return;
  asked = { ...request, id: ++askedIds };
  projectThread.postMessage(asked satisfies ProjectRequest);
}

/** Inserts the projection thread's answer (between commits); true when there was one. */
function applyProjection(): boolean {
  if (!asked || !answered || !tail) return false;
  const request = asked;
  const reply = answered;
  asked = null;
  answered = null;
  try {
    tail.apply(request, reply);
    wakeSearchIndexer();
  } catch (err) {
    tailPausedUntil = Date.now() + TAIL_RETRY_MS;
    setTimeout(schedule, TAIL_RETRY_MS).unref();
    log().warn({ err: err instanceof Error ? err.message : String(err) }, "search projection of the tail failed");
  }
  return true;
}

const waiting: WriteRequest[] = [];
let scheduled = false;

function schedule() {
  if (scheduled) return;
  if (tail?.pending && Date.now() >= tailPausedUntil) {
    // Started the first time it is needed (an idle server never has it: footprint); it restarts itself after a crash.
    if (!projectThreadStarted) {
      projectThreadStarted = true;
      startProjectThread();
    }
    // Computed off this thread while captures are written; inserted when nothing waits (or the tail is too long).
    if (projectThread) {
      if ((waiting.length === 0 || tail.size > TAIL_MAX_ROWS) && applyProjection()) return schedule();
      askProjection();
    } else if (waiting.length === 0) {
      scheduled = true;
      setImmediate(() => void projectTail());
      return;
    }
  }
  if (waiting.length === 0) {
    if (!tail?.pending) backfill?.idle();
    return;
  }
  scheduled = true;
  setImmediate(() => void commit());
}

/** One step of the tail's projection (nothing waits); the next group goes first if one arrived meanwhile. */
async function projectTail() {
  try {
    await tail!.step();
    wakeSearchIndexer();
  } catch (err) {
    tailPausedUntil = Date.now() + TAIL_RETRY_MS;
    setTimeout(schedule, TAIL_RETRY_MS).unref();
    log().warn({ err: err instanceof Error ? err.message : String(err) }, "search projection of the tail failed");
  } finally {
    scheduled = false;
    schedule();
  }
}

const bodyBytes = (g: WriteRequest) => g.rows.reduce((n, r) => n + bodyLength(r), 0);

function takeGroups(): WriteRequest[] {
  const taken: WriteRequest[] = [];
  let rows = 0;
  let bytes = 0;
  while (waiting.length) {
    const next = waiting[0]!;
    const size = bodyBytes(next);
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
 * refuse every other sender in the group. Rows not stored get sequence 0 (answered 503). A capture whose
 * projection the database refuses is stored with the minimal one (path, query and headers), never refused for it.
 */
async function insertAll(rows: CaptureRowValues[], search: SearchRowValues[] | undefined): Promise<number[]> {
  try {
    return await insertRows(rows, search);
  } catch (err) {
    // A lock, a timeout or a lost connection is not about any one row: retrying would only wait again
    // (past the senders' deadlines) and could store a capture already answered 503.
    if (gaveUp(err)) throw err;
    if (rows.length === 1) return [search ? await withFallback(rows[0]!, err) : 0];
    const seqs: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      try {
        seqs.push((await insertRows([row], search && [search[i]!]))[0]!);
      } catch (rowErr) {
        if (gaveUp(rowErr)) throw rowErr;
        seqs.push(search ? await withFallback(row, rowErr) : 0);
      }
    }
    return seqs;
  }
}

/** The capture alone with the minimal projection; 0 (answered 503) when the database refuses that too. */
async function withFallback(row: CaptureRowValues, _first: unknown): Promise<number> {
  try {
    return (await insertRows([row], [projector!.fallback(row)]))[0]!;
  } catch (again) {
    if (gaveUp(again)) throw again;
    return 0;
  }
}

function gaveUp(err: unknown): boolean {
  if (isBusyError(err) || isStorageUnavailable(err)) return true;
  const e = err as { message?: unknown; cause?: { originalCode?: unknown } } | null;
  const code = typeof e?.cause?.originalCode === "string" ? e.cause.originalCode : "";
  return code === "57014" || code === "55P03" || /statement timeout|canceling statement|lock timeout/i.test(String(e?.message ?? ""));
}

// Replies of commits that are written but not yet synced.
let unsynced: WriteReply[] = [];
/** Syncs started, oldest first; their replies are posted in this order, so captures are published in commit order. */
const syncs: { replies: WriteReply[]; outcome: "pending" | "synced" | Error }[] = [];

function post(replies: WriteReply[], outcome: "synced" | Error) {
  for (const r of replies) {
    if (outcome === "synced") port!.postMessage(r);
    // Written but maybe not on disk: never acknowledged as stored.
    else port!.postMessage({ batch: r.batch, error: `WAL sync failed: ${outcome.message}`, busy: false } satisfies WriteReply);
  }
}

function flush() {
  if (unsynced.length === 0) return;
  if (syncs.length === 0 && waiting.length === 0) {
    // Nothing else to write meanwhile: sync on this thread and answer at once, without the round
    // trip through the thread pool (each hop between threads adds wake-up latency).
    const replies = unsynced;
    unsynced = [];
    try {
      sqlite!.syncNow();
      post(replies, "synced");
    } catch (err) {
      post(replies, err instanceof Error ? err : new Error(String(err)));
    }
    return;
  }
  if (syncs.length >= MAX_FLUSHES) return;
  const entry = { replies: unsynced, outcome: "pending" as "pending" | "synced" | Error };
  unsynced = [];
  syncs.push(entry);
  sqlite!
    .sync()
    .then(
      () => {
        // A sync covers everything written before it started: the older syncs' commits too.
        for (const e of syncs) {
          if (e.outcome === "pending") e.outcome = "synced";
          if (e === entry) break;
        }
      },
      (err: unknown) => {
        entry.outcome = err instanceof Error ? err : new Error(String(err));
      },
    )
    .finally(() => {
      while (syncs.length && syncs[0]!.outcome !== "pending") {
        const done = syncs.shift()!;
        post(done.replies, done.outcome as "synced" | Error);
      }
      flush();
    });
}

async function commit() {
  const groups = takeGroups();
  try {
    await ready;
    // A sustained overload (the projection thread left no core, or there is none): the tail is bounded by
    // projecting one step of it here before each commit.
    if (tail && tail.size > TAIL_MAX_ROWS && !answered) await tail.step();
    const rows = groups.length === 1 ? groups[0]!.rows : groups.flatMap((g) => g.rows);
    const started = performance.now();
    // Deferred when groups queued up behind the last commit (several taken, or more waiting), and while older
    // captures still wait for theirs (the tail stays in seq order).
    const deferred = tail !== null && (tail.pending || (tail.canDefer && (groups.length > 1 || waiting.length > 0)));
    const seqs = await insertAll(rows, deferred ? undefined : await projector!.project(rows));
    tail?.committed(seqs, !deferred);
    let commit: { rows: number; ms: number } | undefined = { rows: rows.length, ms: performance.now() - started };
    let at = 0;
    for (const g of groups) {
      const reply = { batch: g.batch, seqs: seqs.slice(at, at + g.rows.length), commit } satisfies WriteReply;
      commit = undefined;
      at += g.rows.length;
      if (flushing) unsynced.push(reply);
      else port!.postMessage(reply);
    }
    if (flushing) flush();
    wakeSearchIndexer();
  } catch (err) {
    const reply = { error: err instanceof Error ? err.message : String(err), busy: isBusyError(err) };
    for (const g of groups) port!.postMessage({ batch: g.batch, ...reply } satisfies WriteReply);
  } finally {
    scheduled = false;
    schedule();
  }
}

/** Starts serving the door's groups; `p` computes each capture's search projection. */
export function startWriteWorker(p: Projector): void {
  projector = p;
  // The tail's projection thread starts the first time captures are committed without their projection.
  if (sqlite) tail = new SearchTail(sqlite.db, p);
  backfill = new SearchBackfill(
    p,
    sqlite ? { sqlite: sqlite.db } : { postgres: true },
    () => waiting.length === 0 && !scheduled && !tail?.pending,
    wakeSearchIndexer,
  );
  port!.on("message", (request: WriteRequest) => {
    waiting.push(request);
    schedule();
  });
  port!.postMessage({ ready: true });
  void ready.then(() => schedule());
}
