// Fills the search projection (CaptureSearch) of captures stored before it existed, on the write worker,
// only while no capture group waits: one small batch at a time, each in its own short transaction, newest
// first (recent captures become searchable first). Every capture committed since the projection exists
// has its row, so what is left is the captures below the lowest projected seq; the walk restarts from there
// after a restart (resumable without any state of its own). Batches are sized by time (a commit holds
// SQLite's write lock, and the door's groups wait behind it) and by body bytes read.
import "../../runtime/server-only";
import type Database from "better-sqlite3";
import { rawRows } from "../../db/capture-adapter";
import { log } from "../../runtime/log";
import {
  CAPTURE_COLUMNS,
  type CaptureRowValues,
  type ProjectRows,
  SEARCH_COLUMNS,
  type SearchRowValues,
  sqliteSearchPlaceholder,
} from "./rows";

export interface Projector {
  project: ProjectRows;
  /** The minimal projection (path, query, headers; no body), for a capture whose full one is refused. */
  fallback(row: CaptureRowValues): SearchRowValues;
}

/**
 * Rows per batch at most, and at least; the batch shrinks when its commit took longer than the store's target
 * (SQLite: the door's next group waits behind the write lock; PostgreSQL has row locks only, so only the pool
 * connection the batch holds matters).
 */
export const BACKFILL_MAX_ROWS = 500;
const MIN_ROWS = 10;
/** Body bytes read per batch at most (a batch always takes at least one row). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** Pause between batches, and after a failure. */
const PAUSE_MS = 5;
const RETRY_MS = 1000;

const SELECT_COLUMNS = ["seq", ...CAPTURE_COLUMNS].map((c) => `"${c}"`).join(", ");
/** Stored body bytes without reading the body (a refused request's bodySize is its declared size; its body is empty). */
const BODY_BYTES = `CASE WHEN c."rejected" IS NULL THEN c."bodySize" ELSE 0 END`;
const MISSING = `NOT EXISTS (SELECT 1 FROM "CaptureSearch" s WHERE s."seq" = c."seq")`;

interface Store {
  targetMs: number;
  /** The lowest projected seq, else one past the highest capture; null when there are no captures. */
  start(): Promise<number | null>;
  /** Captures below `below` without a projection, newest first: [seq, stored body bytes]. */
  pending(below: number, limit: number): Promise<[number, number][]>;
  /** The rows of these seqs (those still there), in CAPTURE_COLUMNS order after their seq. */
  rows(seqs: readonly number[]): Promise<unknown[][]>;
  /** Inserts the projections of the captures still there (skips any deleted meanwhile or filled already). */
  write(seqs: readonly number[], search: readonly SearchRowValues[]): Promise<void>;
  analyze(): Promise<void>;
}

function sqliteStore(db: Database.Database): Store {
  const min = db.prepare(`SELECT min("seq") FROM "CaptureSearch"`).pluck();
  const max = db.prepare(`SELECT max("seq") FROM "Capture"`).pluck();
  const pending = db
    .prepare(`SELECT c."seq", ${BODY_BYTES} FROM "Capture" c WHERE c."seq" < ? AND ${MISSING} ORDER BY c."seq" DESC LIMIT ?`)
    .raw();
  const rows = db.prepare(`SELECT ${SELECT_COLUMNS} FROM "Capture" WHERE "seq" IN (SELECT value FROM json_each(?))`).raw();
  const insert = db.prepare(
    `INSERT INTO "CaptureSearch" ("seq", "endpointId", ${SEARCH_COLUMNS.map((c) => `"${c}"`).join(", ")}) ` +
      `SELECT c."seq", c."endpointId", ${SEARCH_COLUMNS.map(sqliteSearchPlaceholder).join(", ")} FROM "Capture" c WHERE c."seq" = ? ON CONFLICT ("seq") DO NOTHING`,
  );
  const writeAll = db.transaction((seqs: readonly number[], search: readonly SearchRowValues[]) => {
    for (let i = 0; i < seqs.length; i++) insert.run(...search[i]!, seqs[i]);
  });
  return {
    targetMs: 15,
    start: async () => {
      const lowest = min.get() as number | null;
      if (lowest !== null) return lowest;
      const highest = max.get() as number | null;
      return highest === null ? null : highest + 1;
    },
    pending: async (below, limit) => pending.all(below, limit) as [number, number][],
    rows: async (seqs) => rows.all(JSON.stringify(seqs)) as unknown[][],
    write: async (seqs, search) => void writeAll.immediate(seqs, search),
    analyze: async () => {
      db.exec("PRAGMA analysis_limit = 1000");
      db.exec("PRAGMA optimize = 0x10002");
    },
  };
}

function postgresStore(): Store {
  const types = ["text", "int", "text", "text", "text", "text", "jsonb", "text"];
  return {
    targetMs: 100,
    start: async () => {
      const [[lowest]] = (await rawRows(`SELECT min("seq") FROM "CaptureSearch"`, [])) as [[number | null]];
      if (lowest !== null) return Number(lowest);
      const [[highest]] = (await rawRows(`SELECT max("seq") FROM "Capture"`, [])) as [[number | null]];
      return highest === null ? null : Number(highest) + 1;
    },
    pending: async (below, limit) =>
      (
        await rawRows(`SELECT c."seq", ${BODY_BYTES} FROM "Capture" c WHERE c."seq" < $1 AND ${MISSING} ORDER BY c."seq" DESC LIMIT $2`, [
          below,
          limit,
        ])
      ).map((r): [number, number] => [Number(r[0]), Number(r[1])]),
    rows: async (seqs) => {
      const list = seqs.map((_, i) => `$${i + 1}::int`).join(", ");
      const found = await rawRows(`SELECT ${SELECT_COLUMNS} FROM "Capture" WHERE "seq" IN (${list})`, [...seqs]);
      const body = 1 + CAPTURE_COLUMNS.indexOf("body");
      const receivedAt = 1 + CAPTURE_COLUMNS.indexOf("receivedAt");
      for (const r of found) {
        const b = r[body];
        r[body] = b instanceof Uint8Array ? b : Buffer.from(b as number[]);
        r[receivedAt] = Number(r[receivedAt]);
      }
      return found;
    },
    write: async (seqs, search) => {
      if (seqs.length === 0) return;
      let n = 0;
      const ph = (t: string) => `$${++n}::${t}`;
      const tuples = seqs.map(() => `(${ph("int")}, ${types.map(ph).join(", ")})`);
      const params = seqs.flatMap((seq, i) => [seq, ...search[i]!]);
      const cols = SEARCH_COLUMNS.map((c) => `"${c}"`).join(", ");
      await rawRows(
        `INSERT INTO "CaptureSearch" ("seq", "endpointId", ${cols}) SELECT v."seq", c."endpointId", ${SEARCH_COLUMNS.map((c) => `v."${c}"`).join(", ")} ` +
          `FROM (VALUES ${tuples.join(", ")}) AS v("seq", ${cols}) JOIN "Capture" c ON c."seq" = v."seq" ON CONFLICT ("seq") DO NOTHING`,
        params,
      );
    },
    analyze: async () => void (await rawRows(`ANALYZE "CaptureSearch"`, [])),
  };
}

export class SearchBackfill {
  private readonly store: Store;
  private cursor: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private done = false;
  private rows = BACKFILL_MAX_ROWS;
  /** Projections written by this process (for logs and tests). */
  filled = 0;

  constructor(
    private readonly projector: Projector,
    db: { sqlite: Database.Database } | { postgres: true },
    private readonly isIdle: () => boolean,
    /** After each batch written (SQLite: the search index has rows to take in). */
    private readonly onWritten: () => void = () => {},
  ) {
    this.store = "sqlite" in db ? sqliteStore(db.sqlite) : postgresStore();
  }

  /** Called when the writer has nothing waiting: the next batch runs shortly, unless work arrives first. */
  idle(delayMs = PAUSE_MS): void {
    if (this.done || this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.step();
    }, delayMs);
    this.timer.unref();
  }

  private async step(): Promise<void> {
    if (this.done || this.running || !this.isIdle()) return;
    this.running = true;
    let delay = PAUSE_MS;
    try {
      this.cursor ??= await this.store.start();
      const pending = this.cursor === null ? [] : await this.store.pending(this.cursor, this.rows);
      if (pending.length === 0) {
        this.done = true;
        if (this.filled > 0) {
          await this.store.analyze();
          log().info({ filled: this.filled }, "search projection backfill done");
        }
        return;
      }
      const taken: number[] = [];
      let bytes = 0;
      for (const [seq, size] of pending) {
        if (taken.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
        taken.push(seq);
        bytes += size;
      }
      const found = await this.store.rows(taken);
      const rowSeqs = found.map((r) => Number(r[0]));
      const rows: CaptureRowValues[] = found.map((r) => r.slice(1));
      const search = await this.projector.project(rows);
      if (!this.isIdle()) return; // captures arrived meanwhile: they go first, this batch is read again later
      const started = performance.now();
      await this.store.write(rowSeqs, search);
      this.onWritten();
      const ms = performance.now() - started;
      const target = this.store.targetMs;
      this.rows = Math.max(MIN_ROWS, Math.min(BACKFILL_MAX_ROWS, Math.round(ms > target ? this.rows / 2 : this.rows * 1.25)));
      this.cursor = taken[taken.length - 1]!;
      this.filled += rows.length;
    } catch (err) {
      log().warn({ err: err instanceof Error ? err.message : String(err) }, "search projection backfill batch failed");
      delay = RETRY_MS;
      this.cursor = null;
    } finally {
      this.running = false;
    }
    if (!this.done) this.idle(delay);
  }
}
