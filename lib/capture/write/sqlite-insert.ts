// The write worker's insert on SQLite. Everything else in Hookscope reads and writes through the
// Prisma client; this one statement, run for every capture, uses better-sqlite3 (the driver under
// Prisma's SQLite adapter) with the statement prepared once. Through the adapter, every commit
// re-prepared a many-row statement and converted each value and result row, which cost 35-60 µs
// per capture on the write thread, against under 10 µs here (docs/architecture.md). The table,
// its columns and its migrations are still Prisma's; values are always bound parameters.
//
// Durability: with synchronous=FULL, SQLite syncs the WAL inside each commit while it holds the
// write lock, so commits and their syncs run strictly one after another. With `syncsItself`, the
// connection commits with synchronous=NORMAL and the caller runs sync() (fdatasync of the WAL
// file) before answering any sender of that commit: the same guarantee, a commit is on disk before
// it is acknowledged, but the next group's insert overlaps the previous group's sync. Checkpoints
// keep NORMAL's rule: the WAL is synced before and the database file after each one.
import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import {
  bindableValues,
  CAPTURE_COLUMNS,
  type CaptureRowValues,
  SEARCH_COLUMNS,
  type SearchRowValues,
  sqliteSearchPlaceholder,
} from "./rows";

export interface SqliteCaptureInserter {
  /**
   * Inserts the rows in one transaction (one commit); returns each row's sequence, in order. `search`: each
   * row's projection (same order), inserted in the same transaction (its FTS rows by the table's triggers).
   */
  insert(rows: readonly CaptureRowValues[], search?: readonly SearchRowValues[]): number[];
  /** The connection, for the write worker's projection backfill (same thread, between commits). */
  readonly db: Database.Database;
  /** Makes every commit returned so far durable (only with `syncsItself`). Several may run at once. */
  sync(): Promise<void>;
  /** The same, on this thread. */
  syncNow(): void;
  close(): void;
}

export function sqliteCaptureInserter(
  file: string,
  options: { busyTimeoutMs: number; pragmas: readonly string[]; syncsItself: boolean; autocheckpointPages: number },
): SqliteCaptureInserter {
  const db = new Database(file, { timeout: options.busyTimeoutMs });
  for (const pragma of options.pragmas) db.exec(pragma);
  if (options.syncsItself) db.exec("PRAGMA synchronous = NORMAL");
  db.exec(`PRAGMA wal_autocheckpoint = ${Math.trunc(options.autocheckpointPages)}`);
  const columns = CAPTURE_COLUMNS.map((c) => `"${c}"`).join(", ");
  const statement = db.prepare(`INSERT INTO "Capture" (${columns}) VALUES (${CAPTURE_COLUMNS.map(() => "?").join(", ")})`);
  const searchStatement = db.prepare(
    `INSERT INTO "CaptureSearch" ("seq", "endpointId", ${SEARCH_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${["?", "?", ...SEARCH_COLUMNS.map(sqliteSearchPlaceholder)].join(", ")})`,
  );
  const values = new Array<unknown>(CAPTURE_COLUMNS.length);
  const endpointAt = CAPTURE_COLUMNS.indexOf("endpointId");
  const insertAll = db.transaction((rows: readonly CaptureRowValues[], search?: readonly SearchRowValues[]) => {
    // Filled by push, not new Array(n): a holey array is posted back as a sparse one (each index written out).
    const seqs: number[] = [];
    for (let r = 0; r < rows.length; r++) {
      const seq = Number(statement.run(bindableValues(rows[r]!, values)).lastInsertRowid);
      if (search) searchStatement.run(seq, rows[r]![endpointAt], ...search[r]!);
      seqs.push(seq);
    }
    return seqs;
  });

  // The WAL file lives as long as a connection is open (this one is); should it ever be
  // replaced, the descriptor is reopened on the new file.
  const walPath = `${file}-wal`;
  let wal: { fd: number; ino: number } | null = null;
  const walFd = () => {
    const ino = statSync(walPath).ino;
    if (wal && wal.ino !== ino) {
      closeSync(wal.fd);
      wal = null;
    }
    if (!wal) {
      const fd = openSync(walPath, "r");
      wal = { fd, ino: fstatSync(fd).ino };
    }
    return wal.fd;
  };

  return {
    // BEGIN IMMEDIATE: the write lock is taken up front, so a busy database fails at the start
    // (and the group is retried) rather than part-way through.
    insert: (rows, search) => insertAll.immediate(rows, search),
    db,
    // fdatasync on Linux syncs the file whichever descriptor wrote it; it runs on libuv's pool.
    sync: () =>
      new Promise<void>((resolve, reject) => {
        if (!options.syncsItself) return resolve();
        let fd: number;
        try {
          fd = walFd();
        } catch (err) {
          return reject(err as Error);
        }
        fdatasync(fd, (err) => (err ? reject(err) : resolve()));
      }),
    syncNow: () => {
      if (options.syncsItself) fdatasyncSync(walFd());
    },
    close: () => {
      if (wal) closeSync(wal.fd);
      db.close();
    },
  };
}
