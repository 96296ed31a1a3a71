// SQLite: feeds the FTS5 trigram index in the search file (lib/db/search-indexes.ts) from the main file's
// CaptureSearch rows. One connection to the search file with the main file ATTACHed as "cap": each batch is one
// deferred transaction that reads CaptureSearch (a read snapshot of the main file, never its write lock) and
// writes the index and its range (CaptureSearchFtsState) together, so whatever moment a search reads, every
// CaptureSearch row inside the range is in the index. The range grows upwards (rows committed since) and, once
// the top is reached, downwards (rows the projection backfill adds below it, newest first like the backfill).
// Caught up, it sweeps index entries whose CaptureSearch row was deleted (they match no Capture row in the
// search's join; the sweep removes the deleted text from the index file too).
import "../../runtime/server-only";
import type Database from "better-sqlite3";
import { openSearchIndex } from "../../db/search-indexes";

/** Rows per batch at most, and at least (an FTS5 transaction has a fixed cost: a new segment, merges). */
export const INDEX_MAX_ROWS = 5000;
export const INDEX_MIN_ROWS = 50;
/** Rowids the sweep checks per step. */
const SWEEP_ROWS = 2000;

export class SearchIndexer {
  readonly db: Database.Database;
  private readonly up: (limit: number) => number;
  private readonly down: (limit: number) => number;
  private readonly sweepStep: (limit: number) => number;
  private sweepFrom = 0;
  /** Sweeps that reached the end of the index and started again from its first rowid. */
  sweepWraps = 0;
  /** Rows indexed and stale entries removed by this indexer (for logs and tests). */
  indexed = 0;
  swept = 0;

  constructor(mainFile: string, timeoutMs = 10_000) {
    const db = openSearchIndex(mainFile, timeoutMs);
    this.db = db;
    db.prepare(`ATTACH DATABASE ? AS "cap"`).run(mainFile);
    const state = db.prepare(`SELECT "low", "upTo" FROM "CaptureSearchFtsState" WHERE "id" = 1`);
    const above = db.prepare(
      `SELECT min("seq") AS first, max("seq") AS last, count(*) AS n FROM (SELECT "seq" FROM "cap"."CaptureSearch" WHERE "seq" > ? ORDER BY "seq" LIMIT ?)`,
    );
    const below = db.prepare(
      `SELECT min("seq") AS first, max("seq") AS last, count(*) AS n FROM (SELECT "seq" FROM "cap"."CaptureSearch" WHERE "seq" < ? ORDER BY "seq" DESC LIMIT ?)`,
    );
    const index = db.prepare(
      `INSERT INTO "CaptureSearchFts"(rowid, text) SELECT "seq", "text" FROM "cap"."CaptureSearch" WHERE "seq" BETWEEN ? AND ?`,
    );
    const setRange = db.prepare(`UPDATE "CaptureSearchFtsState" SET "low" = ?, "upTo" = ? WHERE "id" = 1`);
    type Span = { first: number | null; last: number | null; n: number };
    const read = () => state.get() as { low: number; upTo: number };
    // Deferred (better-sqlite3's default): the first write takes the search file's lock only.
    this.up = db.transaction((limit: number): number => {
      const { low, upTo } = read();
      const empty = upTo < low;
      const span = above.get(empty ? 0 : upTo, limit) as Span;
      if (span.n === 0 || span.first === null || span.last === null) return 0;
      index.run(span.first, span.last);
      setRange.run(empty ? span.first : low, span.last);
      return span.n;
    });
    this.down = db.transaction((limit: number): number => {
      const { low, upTo } = read();
      if (upTo < low) return 0;
      const span = below.get(low, limit) as Span;
      if (span.n === 0 || span.first === null || span.last === null) return 0;
      index.run(span.first, span.last);
      setRange.run(span.first, upTo);
      return span.n;
    });
    const chunk = db.prepare(
      `SELECT r, EXISTS (SELECT 1 FROM "cap"."CaptureSearch" s WHERE s."seq" = r) AS kept FROM (SELECT rowid AS r FROM "CaptureSearchFts" WHERE rowid > ? ORDER BY rowid LIMIT ?)`,
    );
    const remove = db.prepare(`DELETE FROM "CaptureSearchFts" WHERE rowid = ?`);
    this.sweepStep = db.transaction((limit: number): number => {
      const rows = chunk.all(this.sweepFrom, limit) as { r: number; kept: number }[];
      let removed = 0;
      for (const row of rows) {
        if (row.kept) continue;
        remove.run(row.r);
        removed++;
      }
      this.sweepFrom = rows.length < limit ? 0 : rows[rows.length - 1]!.r;
      if (this.sweepFrom === 0) this.sweepWraps++;
      return removed;
    });
  }

  /** One batch: new rows first, then rows below the range; 0 when both are caught up. */
  step(limit: number): number {
    const n = this.up(limit) || this.down(limit);
    this.indexed += n;
    return n;
  }

  /** One sweep step over the index's rowids (wraps around); returns the stale entries removed. */
  sweep(limit = SWEEP_ROWS): number {
    const n = this.sweepStep(limit);
    this.swept += n;
    return n;
  }

  /** Indexes everything outside the range now (a bulk load, or a test); returns the rows indexed. */
  catchUp(limit = INDEX_MAX_ROWS): number {
    let total = 0;
    for (let n = this.step(limit); n > 0; n = this.step(limit)) total += n;
    return total;
  }

  close(): void {
    this.db.close();
  }
}
