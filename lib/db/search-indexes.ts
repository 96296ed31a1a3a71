// The search projection's indexes that Prisma's schema language cannot describe (the CaptureSearch table
// itself is a Prisma model and migration): run after the migrations at every start, idempotent. Kept out
// of the migration files on purpose: Prisma diffs the datamodel against the migrations replayed, and would
// drop a virtual table or an operator-class index it does not know at the next `db:new-migration`.
//
// SQLite: a contentless FTS5 table (`content=''`, `contentless_delete=1`) with the trigram tokenizer
// (substring search, case-insensitive; MATCH for 3+ characters), rowid = CaptureSearch.seq, holding only the
// index (a contentless table answers NULL for its columns: the text is always read from CaptureSearch). It lives
// in a database file of its own (`hookscope-search.db` beside `hookscope.db`, ATTACHed as "search" to the
// connections that search): SQLite has one write lock per database file, and tokenising costs 50-120 µs per
// row plus FTS5's segment merges (30-300 ms now and then), so an index fed in the capture commits, or by any
// writer of the main file, held up the captures behind it (p99 ack 754 ms at 2,000 captures/s). Its own
// thread (lib/capture/write/search-index-worker.ts) reads new CaptureSearch rows from the main file and
// indexes them in the search file, never taking the main file's write lock. `CaptureSearchFtsState` says what
// is indexed: every CaptureSearch row with `low <= seq <= upTo` (empty while upTo < low); the indexer extends
// the range upwards (new captures) and downwards (rows the projection backfill adds below it). The search
// (lib/search/sql/compile.ts) reads the index inside the range and checks the rows outside it with LIKE, in
// one statement. Rows deleted from the main file leave entries behind that match no Capture row (the search
// joins Capture), removed by the indexer's sweep shortly after.
// PostgreSQL: pg_trgm's GIN on text (ILIKE '%…%'), and a jsonb_path_ops GIN on json. jsonb_path_ops rather
// than the default jsonb_ops: it indexes each path-to-value as one hash, so it is smaller (about a third) and
// faster for what json.<path>:value needs, containment `json @> '{"a":{"b":"x"}}'` and jsonpath `@?` / `@@`;
// what it lacks, the key-existence operators (?, ?|, ?&), only top-level keys, so the SQL compiler writes
// has:json.a.b as `json @? '$.a.b'` (served) rather than `?`. Numeric ranges (json.x:>5) are not served by
// either operator class: they run on the rows the other conditions leave (the endpoint's (endpointId, seq) walk).
import "../runtime/server-only";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "./target";

/** What earlier versions kept in the main file (an FTS table fed by triggers): dropped at start. */
const SQLITE_DROP_IN_MAIN = [
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_insert"`,
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_delete"`,
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_update"`,
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_insert_below"`,
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_delete_rowid"`,
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_update_below"`,
  `DROP TABLE IF EXISTS "CaptureSearchFts"`,
  `DROP TABLE IF EXISTS "CaptureSearchFtsState"`,
];

/** The search file's schema (run on a connection to that file). */
export const SQLITE_SEARCH_INDEX_SQL = [
  `CREATE TABLE IF NOT EXISTS "CaptureSearchFtsState" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1), "low" INTEGER NOT NULL, "upTo" INTEGER NOT NULL)`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS "CaptureSearchFts" USING fts5(text, content='', contentless_delete=1, tokenize='trigram')`,
  // Nothing indexed: an empty range.
  `INSERT INTO "CaptureSearchFtsState" ("id", "low", "upTo") VALUES (1, 1, 0) ON CONFLICT ("id") DO NOTHING`,
];

/** The schema name the search file is ATTACHed as. */
export const SEARCH_SCHEMA = "search";

/** The search index's file beside the main database file. */
export function searchIndexFile(mainFile: string): string {
  const ext = path.extname(mainFile);
  return ext === ".db" ? `${mainFile.slice(0, -ext.length)}-search.db` : `${mainFile}-search.db`;
}

/** Opens the search file with its schema in place (WAL: searches read while the indexer writes). */
export function openSearchIndex(mainFile: string, timeoutMs = 10_000): Database.Database {
  const db = new Database(searchIndexFile(mainFile), { timeout: timeoutMs });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.transaction(() => {
    for (const sql of SQLITE_SEARCH_INDEX_SQL) db.exec(sql);
  }).immediate();
  return db;
}

const attached = new WeakSet<object>();

/**
 * ATTACHes the search file to a Prisma client's SQLite connection (once per client: the better-sqlite3 adapter
 * holds one connection), so a statement can read CaptureSearch and the index together.
 */
export async function attachSearchIndex(
  client: { $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>; $queryRawUnsafe<T>(sql: string): Promise<T> },
  mainFile: string,
): Promise<void> {
  if (attached.has(client)) return;
  const list = await client.$queryRawUnsafe<{ name: string }[]>("PRAGMA database_list");
  if (!list.some((d) => d.name === SEARCH_SCHEMA)) {
    openSearchIndex(mainFile).close();
    await client.$executeRawUnsafe(`ATTACH DATABASE ? AS "${SEARCH_SCHEMA}"`, searchIndexFile(mainFile));
  }
  attached.add(client);
}

export const POSTGRES_SEARCH_INDEX_SQL = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE INDEX IF NOT EXISTS "CaptureSearch_text_trgm_idx" ON "CaptureSearch" USING gin ("text" gin_trgm_ops)`,
  `CREATE INDEX IF NOT EXISTS "CaptureSearch_json_idx" ON "CaptureSearch" USING gin ("json" jsonb_path_ops)`,
];

/**
 * Creates what is missing. SQLite: drops what earlier versions kept in the main file (their index is rebuilt in
 * the search file by the indexer, oldest rows first; meanwhile searches check the rows outside its range with
 * LIKE) and creates the search file's schema.
 */
export async function ensureSearchIndexes(target: DatabaseTarget): Promise<void> {
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { timeout: 10_000 });
    try {
      const old = db.prepare(`SELECT 1 FROM sqlite_master WHERE name LIKE 'CaptureSearch%Fts%' OR name LIKE 'CaptureSearch_fts%'`).get();
      if (old !== undefined)
        db.transaction(() => {
          for (const sql of SQLITE_DROP_IN_MAIN) db.exec(sql);
        }).immediate();
    } finally {
      db.close();
    }
    openSearchIndex(target.file).close();
    return;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    for (const sql of POSTGRES_SEARCH_INDEX_SQL) await client.query(sql);
  } finally {
    await client.end();
  }
}
