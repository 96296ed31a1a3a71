// SQLite: the search projection of captures committed WITHOUT it (the tail), filled on the write worker between
// commits. When captures queue up behind the writer (a backlog) the write worker commits them alone, and their
// projection (CaptureSearch rows) follows as soon as nothing waits, oldest first, in its own short transactions on
// the same connection (one thread: no lock is ever waited for). Projection in the capture's own commit resumes
// once the tail is empty, so the rule holds: every capture with a seq above the highest projected one
// (max(CaptureSearch.seq)) is unprojected, every one between the lowest and the highest projected is projected, and
// what lies below the lowest is the backfill's (search-backfill.ts). The search (lib/search/service.ts
// indexingPending) sees the tail with two index seeks and confirms its rows from their bytes, so a capture is
// searchable as soon as it is acknowledged, projected or not. After a restart the tail is found again from the
// same two maxima. Why: the projection cost 25-30 µs of write-thread CPU per capture in the commit, and at
// saturation every microsecond there is a capture less per second (docs/architecture.md "Search projection").
import "../../runtime/server-only";
import type Database from "better-sqlite3";
import { CAPTURE_COLUMNS, type CaptureRowValues, SEARCH_COLUMNS, sqliteSearchPlaceholder } from "./rows";
import type { Projector } from "./search-backfill";

/** Rows one tail step projects and writes at most (one transaction; about 10-20 ms of the write thread). */
export const TAIL_STEP_ROWS = 500;
/**
 * Past this many unprojected captures the tail is projected even while groups wait (one step before each
 * commit), so a sustained overload cannot leave an unbounded part of the data to in-memory confirmation.
 */
export const TAIL_MAX_ROWS = 50_000;

const SELECT_COLUMNS = ["seq", ...CAPTURE_COLUMNS].map((c) => `"${c}"`).join(", ");

export class SearchTail {
  /** The lowest seq that may lack its projection; null when the tail is empty. */
  private from: number | null = null;
  /** The highest seq committed (known to this writer). */
  private newest = 0;
  private readonly read: Database.Statement;
  private readonly writeAll: Database.Transaction<(seqs: readonly number[], search: readonly unknown[][]) => void>;
  /** Projections written by this process (for logs and tests). */
  filled = 0;

  constructor(
    db: Database.Database,
    private readonly projector: Projector,
  ) {
    this.read = db.prepare(`SELECT ${SELECT_COLUMNS} FROM "Capture" WHERE "seq" >= ? ORDER BY "seq" LIMIT ?`).raw();
    const insert = db.prepare(
      `INSERT INTO "CaptureSearch" ("seq", "endpointId", ${SEARCH_COLUMNS.map((c) => `"${c}"`).join(", ")}) ` +
        `SELECT c."seq", c."endpointId", ${SEARCH_COLUMNS.map(sqliteSearchPlaceholder).join(", ")} FROM "Capture" c WHERE c."seq" = ? ON CONFLICT ("seq") DO NOTHING`,
    );
    this.writeAll = db.transaction((seqs: readonly number[], search: readonly unknown[][]) => {
      for (let i = 0; i < seqs.length; i++) insert.run(...search[i]!, seqs[i]);
    });
    const projected = db.prepare(`SELECT max("seq") FROM "CaptureSearch"`).pluck().get() as number | null;
    const captured = db.prepare(`SELECT max("seq") FROM "Capture"`).pluck().get() as number | null;
    this.newest = captured ?? 0;
    // No projection at all: every capture is the backfill's (it walks down from the newest).
    if (projected !== null && captured !== null && captured > projected) this.from = projected + 1;
  }

  /** Some committed captures lack their projection. */
  get pending(): boolean {
    return this.from !== null;
  }

  /** Unprojected captures (an upper bound: deleted ones are counted). */
  get size(): number {
    return this.from === null ? 0 : this.newest - this.from + 1;
  }

  /** A commit of these seqs (0: not stored); `projected` when their projection was in it. */
  committed(seqs: readonly number[], projected: boolean): void {
    for (const seq of seqs) {
      if (seq === 0) continue;
      if (!projected && this.from === null) this.from = seq;
      if (seq > this.newest) this.newest = seq;
    }
  }

  /** Projects and writes the oldest `limit` rows of the tail; returns how many were read. */
  async step(limit = TAIL_STEP_ROWS): Promise<number> {
    if (this.from === null) return 0;
    const newestAtRead = this.newest;
    const found = this.read.all(this.from, limit) as unknown[][];
    const seqs = found.map((r) => Number(r[0]));
    const rows: CaptureRowValues[] = found.map((r) => r.slice(1));
    const search = await this.projector.project(rows);
    this.writeAll.immediate(seqs, search);
    this.filled += seqs.length;
    if (found.length === limit) this.from = seqs[seqs.length - 1]! + 1;
    // Fewer than asked: everything committed up to the read is done; what a commit added meanwhile is left.
    else this.from = this.newest > newestAtRead ? newestAtRead + 1 : null;
    if (this.from !== null && this.from > this.newest) this.from = null;
    return found.length;
  }
}
