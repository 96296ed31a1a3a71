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
import { CAPTURE_COLUMNS, type CaptureRowValues, type ProjectRows, SEARCH_COLUMNS, type SearchRowValues } from "./rows";

export interface Projector {
  project: ProjectRows;
  /** The minimal projection (path, query, headers; no body), for a capture whose full one is refused. */
  fallback(row: CaptureRowValues): SearchRowValues;
}

/** Rows per batch at most, and at least; the batch shrinks when a commit took longer than TARGET_MS. */
export const BACKFILL_MAX_ROWS = 500;
const MIN_ROWS = 10;
const TARGET_MS = 15;
/** Body bytes read per batch at most (a batch always takes at least one row). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** Pause between batches, and after a failure. */
const PAUSE_MS = 5;
const RETRY_MS = 1000;

const SELECT_COLUMNS = CAPTURE_COLUMNS.map((c) => `"${c}"`).join(", ");
const MISSING = `NOT EXISTS (SELECT 1 FROM "CaptureSearch" s WHERE s."seq" = c."seq")`;

interface Store {
  /** The lowest projected seq, else one past the highest capture; null when there are no captures. */
  start(): Promise<number | null>;
  /** Seqs below `below` without a projection, newest first. */
  pending(below: number, limit: number): Promise<number[]>;
  row(seq: number): Promise<CaptureRowValues | null>;
  /** Inserts the projections of the captures still there (skips any deleted meanwhile or filled already). */
  write(seqs: readonly number[], search: readonly SearchRowValues[]): Promise<void>;
  analyze(): Promise<void>;
}

function sqliteStore(db: Database.Database): Store {
  const min = db.prepare(`SELECT min("seq") FROM "CaptureSearch"`).pluck();
  const max = db.prepare(`SELECT max("seq") FROM "Capture"`).pluck();
  const pending = db.prepare(`SELECT c."seq" FROM "Capture" c WHERE c."seq" < ? AND ${MISSING} ORDER BY c."seq" DESC LIMIT ?`).pluck();
  const row = db.prepare(`SELECT ${SELECT_COLUMNS} FROM "Capture" WHERE "seq" = ?`).raw();
  const insert = db.prepare(
    `INSERT INTO "CaptureSearch" ("seq", "endpointId", ${SEARCH_COLUMNS.map((c) => `"${c}"`).join(", ")}) ` +
      `SELECT c."seq", c."endpointId", ${SEARCH_COLUMNS.map(() => "?").join(", ")} FROM "Capture" c WHERE c."seq" = ? ON CONFLICT ("seq") DO NOTHING`,
  );
  const writeAll = db.transaction((seqs: readonly number[], search: readonly SearchRowValues[]) => {
    for (let i = 0; i < seqs.length; i++) insert.run(...search[i]!, seqs[i]);
  });
  return {
    start: async () => {
      const lowest = min.get() as number | null;
      if (lowest !== null) return lowest;
      const highest = max.get() as number | null;
      return highest === null ? null : highest + 1;
    },
    pending: async (below, limit) => pending.all(below, limit) as number[],
    row: async (seq) => (row.get(seq) as unknown[] | undefined) ?? null,
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
    start: async () => {
      const [[lowest]] = (await rawRows(`SELECT min("seq") FROM "CaptureSearch"`, [])) as [[number | null]];
      if (lowest !== null) return Number(lowest);
      const [[highest]] = (await rawRows(`SELECT max("seq") FROM "Capture"`, [])) as [[number | null]];
      return highest === null ? null : Number(highest) + 1;
    },
    pending: async (below, limit) =>
      (
        await rawRows(`SELECT c."seq" FROM "Capture" c WHERE c."seq" < $1 AND ${MISSING} ORDER BY c."seq" DESC LIMIT $2`, [below, limit])
      ).map((r) => Number(r[0])),
    row: async (seq) => {
      const [r] = await rawRows(`SELECT ${SELECT_COLUMNS} FROM "Capture" WHERE "seq" = $1`, [seq]);
      if (!r) return null;
      const body = r[CAPTURE_COLUMNS.indexOf("body")];
      r[CAPTURE_COLUMNS.indexOf("body")] = body instanceof Uint8Array ? body : Buffer.from(body as number[]);
      r[CAPTURE_COLUMNS.indexOf("receivedAt")] = Number(r[CAPTURE_COLUMNS.indexOf("receivedAt")]);
      return r;
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
      const seqs = this.cursor === null ? [] : await this.store.pending(this.cursor, this.rows);
      if (seqs.length === 0) {
        this.done = true;
        if (this.filled > 0) {
          await this.store.analyze();
          log().info({ filled: this.filled }, "search projection backfill done");
        }
        return;
      }
      const taken: number[] = [];
      const rowSeqs: number[] = [];
      const rows: CaptureRowValues[] = [];
      let bytes = 0;
      for (const seq of seqs) {
        if (bytes > MAX_BATCH_BYTES || !this.isIdle()) break;
        const row = await this.store.row(seq);
        taken.push(seq);
        if (!row) continue;
        rowSeqs.push(seq);
        rows.push(row);
        bytes += (row[CAPTURE_COLUMNS.indexOf("body")] as Uint8Array).byteLength;
      }
      if (taken.length === 0) return;
      const search = await this.projector.project(rows);
      const started = performance.now();
      await this.store.write(rowSeqs, search);
      const ms = performance.now() - started;
      this.rows = Math.max(MIN_ROWS, Math.min(BACKFILL_MAX_ROWS, Math.round(ms > TARGET_MS ? this.rows / 2 : this.rows * 1.25)));
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
