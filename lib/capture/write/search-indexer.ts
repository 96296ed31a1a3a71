// SQLite: feeds the FTS5 trigram index (CaptureSearchFts, lib/db/search-indexes.ts) on the write worker,
// only while no capture group waits. Tokenising costs about 1 µs per character of projection text, so doing
// it inside each capture's commit held the write lock 2 ms longer per capture and the door's groups waited
// behind it. Here it runs oldest first in short transactions: each indexes the CaptureSearch rows just above
// the watermark (CaptureSearchFtsState.upTo) and advances it in the same transaction, so every row at or
// below the watermark is in the index whatever the moment, and the search reads the index up to it and
// checks the rows above it with LIKE (lib/search/sql/compile.ts). Batches are sized by time, like the
// projection backfill's: they grow while a commit stays under the target and halve when it goes over.
// Resumable without state of its own beyond the watermark.
import "../../runtime/server-only";
import type Database from "better-sqlite3";
import { log } from "../../runtime/log";

/** Rows per batch at most, and at least (an FTS5 transaction has a fixed cost: a new segment, merges). */
export const INDEX_MAX_ROWS = 2000;
const MIN_ROWS = 50;
/** A batch's transaction should hold the write lock (and this thread) about this long. */
const TARGET_MS = 5;
/**
 * While captures keep arriving, indexing may take this share of the writer's time (a token bucket: credit accrues
 * with wall time, a batch spends its duration). At the bench's 2,000 captures/s the commits take about a sixth of
 * the thread and indexing about a quarter, so the index keeps up; at saturation it falls behind (the search reads
 * the tail with LIKE) and catches up when the load drops. Without the bound it ran between any two groups and
 * took the thread from the commits (12k → 1.4k captures/s under wrk).
 */
const DUTY = 0.25;
const MAX_CREDIT_MS = 2 * TARGET_MS;
/** No capture commit for this long: the writer is idle, indexing runs freely. */
const QUIET_MS = 20;
const PAUSE_MS = 2;
const RETRY_MS = 1000;
const POLL_MS = 1000;

export class SearchIndexer {
  private readonly step: (limit: number) => number;
  private timer: NodeJS.Timeout | null = null;
  private due = 0;
  private rows = MIN_ROWS;
  private credit = MAX_CREDIT_MS;
  private lastAccrual = performance.now();
  private lastCommit = 0;
  /** Rows indexed by this process (for logs and tests). */
  indexed = 0;

  constructor(
    db: Database.Database,
    private readonly isIdle: () => boolean,
  ) {
    const upTo = db.prepare(`SELECT "upTo" FROM "CaptureSearchFtsState" WHERE "id" = 1`).pluck();
    const next = db.prepare(
      `SELECT max("seq") AS last, count(*) AS n FROM (SELECT "seq" FROM "CaptureSearch" WHERE "seq" > ? ORDER BY "seq" LIMIT ?)`,
    );
    const index = db.prepare(
      `INSERT INTO "CaptureSearchFts"(rowid, text) SELECT "seq", "text" FROM "CaptureSearch" WHERE "seq" > ? AND "seq" <= ?`,
    );
    const advance = db.prepare(`UPDATE "CaptureSearchFtsState" SET "upTo" = ? WHERE "id" = 1`);
    // IMMEDIATE: the watermark read and its advance happen under the write lock, so no row can be inserted
    // at or below the new watermark meanwhile without the insert trigger indexing it.
    const tx = db.transaction((limit: number): number => {
      const from = upTo.get() as number | undefined;
      if (from === undefined) return 0;
      const { last, n } = next.get(from, limit) as { last: number | null; n: number };
      if (last === null || n === 0) return 0;
      index.run(from, last);
      advance.run(last);
      return n;
    });
    this.step = (limit) => tx.immediate(limit);
  }

  /** Indexes everything above the watermark now, in batches of `rows` (a bulk load, with no capture waiting). */
  catchUp(rows = INDEX_MAX_ROWS): number {
    let total = 0;
    for (let n = this.step(rows); n > 0; n = this.step(rows)) total += n;
    this.indexed += total;
    return total;
  }

  /** Called by the writer as it starts a capture commit. */
  commit(): void {
    this.lastCommit = performance.now();
  }

  /** Called when the writer has nothing waiting: the next batch runs shortly, unless work arrives first. */
  idle(delayMs = PAUSE_MS): void {
    const due = performance.now() + delayMs;
    if (this.timer) {
      if (this.due <= due) return;
      clearTimeout(this.timer); // a capture commit brings a long wait forward
    }
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, delayMs);
    this.timer.unref();
  }

  private run(): void {
    if (!this.isIdle()) {
      this.idle(POLL_MS); // the writer calls idle() again once its groups are written
      return;
    }
    const now = performance.now();
    this.credit = Math.min(MAX_CREDIT_MS, this.credit + (now - this.lastAccrual) * DUTY);
    this.lastAccrual = now;
    const quiet = now - this.lastCommit >= QUIET_MS;
    if (!quiet && this.credit < TARGET_MS) {
      this.idle(Math.max(PAUSE_MS, Math.min(QUIET_MS - (now - this.lastCommit), (TARGET_MS - this.credit) / DUTY)));
      return;
    }
    let n: number;
    const started = performance.now();
    try {
      n = this.step(this.rows);
    } catch (err) {
      log().warn({ err: err instanceof Error ? err.message : String(err) }, "search index batch failed");
      this.idle(RETRY_MS);
      return;
    }
    const ms = performance.now() - started;
    if (!quiet) this.credit -= ms;
    // Caught up: the next capture commit looks again, and so does a slow poll (rows another connection wrote).
    if (n === 0) {
      this.idle(POLL_MS);
      return;
    }
    this.indexed += n;
    if (n === this.rows)
      this.rows = Math.max(MIN_ROWS, Math.min(INDEX_MAX_ROWS, Math.round(ms > TARGET_MS ? this.rows / 2 : this.rows * 1.25)));
    else if (ms > TARGET_MS) this.rows = Math.max(MIN_ROWS, Math.round(this.rows / 2));
    this.idle();
  }
}
