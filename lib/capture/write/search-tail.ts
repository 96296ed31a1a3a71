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
  /** Some CaptureSearch row exists: until then every capture counts as the backfill's, so none is deferred. */
  private anyProjected = false;
  private readonly read: Database.Statement;
  private readonly writeAll: Database.Transaction<(seqs: readonly number[], search: readonly unknown[][]) => void>;
  private readonly writeOne: (seq: number, search: readonly unknown[]) => void;
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
    this.writeOne = (seq, search) => void db.transaction(() => insert.run(...search, seq)).immediate();
    const projected = db.prepare(`SELECT max("seq") FROM "CaptureSearch"`).pluck().get() as number | null;
    const captured = db.prepare(`SELECT max("seq") FROM "Capture"`).pluck().get() as number | null;
    this.newest = captured ?? 0;
    this.anyProjected = projected !== null;
    // No projection at all: every capture is the backfill's (it walks down from the newest).
    if (projected !== null && captured !== null && captured > projected) this.from = projected + 1;
  }

  /** A commit may leave its projection to the tail (the tail's rule needs a highest projected seq). */
  get canDefer(): boolean {
    return this.anyProjected;
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
      if (projected) this.anyProjected = true;
      if (!projected && this.from === null) this.from = seq;
      if (seq > this.newest) this.newest = seq;
    }
  }

  /** Projects and writes the oldest `limit` rows of the tail on this thread; returns how many were read. */
  async step(limit = TAIL_STEP_ROWS): Promise<number> {
    const asked = this.request(limit);
    if (!asked) return 0;
    const found = this.read.all(asked.from, limit) as unknown[][];
    const seqs = found.map((r) => Number(r[0]));
    const search = await this.projector.project(found.map((r): CaptureRowValues => r.slice(1)));
    this.apply(asked, { seqs, search });
    return found.length;
  }

  /**
   * The next range to project (by the projection thread, search-project-worker.ts, or step): the rows from
   * `from`, at most `limit`, read after this call. Null when the tail is empty.
   */
  request(limit = TAIL_STEP_ROWS): TailRequest | null {
    return this.from === null ? null : { from: this.from, limit, newest: this.newest };
  }

  /** Writes the projections of a request's rows and moves the tail past them. */
  apply(asked: TailRequest, done: TailReply): void {
    try {
      this.writeAll.immediate(done.seqs, done.search);
    } catch {
      // One row the database refuses (as the write worker's insertAll): each alone, a refused one with the
      // minimal projection (path, query, headers), so the tail always moves on.
      for (let i = 0; i < done.seqs.length; i++) {
        const seq = done.seqs[i]!;
        try {
          this.writeOne(seq, done.search[i]!);
        } catch {
          const [row] = this.read.all(seq, 1) as unknown[][];
          if (row && Number(row[0]) === seq) this.writeOne(seq, this.projector.fallback(row.slice(1)));
        }
      }
    }
    this.filled += done.seqs.length;
    if (this.from === null || this.from !== asked.from) return; // moved meanwhile (a step of its own): the rows were extra
    const last = done.seqs.length ? done.seqs[done.seqs.length - 1]! : asked.from - 1;
    // A full batch: the tail goes on after it. Fewer: every row committed before the request was read too.
    const next = done.seqs.length === asked.limit ? last + 1 : Math.max(last, asked.newest) + 1;
    this.from = next > this.newest ? null : next;
  }
}

/** A range of the tail to project: seqs >= from, at most limit rows; `newest` committed when asked. */
export interface TailRequest {
  from: number;
  limit: number;
  newest: number;
}

/** The projections of a request's rows (seqs in order; `search` in SEARCH_COLUMNS order). */
export interface TailReply {
  seqs: number[];
  search: unknown[][];
}
