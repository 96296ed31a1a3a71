// The search projection's indexes that Prisma's schema language cannot describe (the CaptureSearch table
// itself is a Prisma model and migration): run after the migrations at every start, idempotent. Kept out
// of the migration files on purpose: Prisma diffs the datamodel against the migrations replayed, and would
// drop a virtual table or an operator-class index it does not know at the next `db:new-migration`.
//
// SQLite: a contentless FTS5 table (`content=''`, `contentless_delete=1`) with the trigram tokenizer
// (substring search, case-insensitive; MATCH for 3+ characters), rowid = CaptureSearch.seq, holding only
// the index: the text is read from CaptureSearch, never from the FTS table (a contentless table answers
// NULL for its columns). Contentless, so a delete removes a rowid's entries without re-tokenising its text.
// The index is NOT fed inside each capture's commit: tokenising costs about 1 µs per character (2 ms for a
// typical capture) and the commit holds SQLite's write lock. The write worker's idle-time indexer
// (lib/capture/write/search-indexer.ts) indexes CaptureSearch rows oldest first in short transactions and
// advances the watermark `CaptureSearchFtsState.upTo`: every row with seq <= upTo is in the index, rows above
// it are not yet. The compiler (lib/search/sql/compile.ts) reads the index up to the watermark and checks
// the rows above it with LIKE, in the same statement. Rows inserted at or below the watermark (the backfill
// of captures stored before the projection existed) are indexed by the insert trigger at once, which fires
// only for them; a cascade delete from Capture deletes the CaptureSearch row, whose delete trigger removes
// its entries.
// PostgreSQL: pg_trgm's GIN on text (ILIKE '%…%'), and a jsonb_path_ops GIN on json. jsonb_path_ops rather
// than the default jsonb_ops: it indexes each path-to-value as one hash, so it is smaller (about a third) and
// faster for what json.<path>:value needs, containment `json @> '{"a":{"b":"x"}}'` and jsonpath `@?` / `@@`;
// what it lacks, the key-existence operators (?, ?|, ?&), only top-level keys, so the SQL compiler writes
// has:json.a.b as `json @? '$.a.b'` (served) rather than `?`. Numeric ranges (json.x:>5) are not served by
// either operator class: they run on the rows the other conditions leave (the endpoint's (endpointId, seq) walk).
import "../runtime/server-only";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "./target";

/** Statements that remove the earlier external-content FTS table and its triggers (fed in each commit). */
const SQLITE_DROP_EXTERNAL_CONTENT = [
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_insert"`,
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_delete"`,
  `DROP TRIGGER IF EXISTS "CaptureSearch_fts_update"`,
  `DROP TABLE IF EXISTS "CaptureSearchFts"`,
  `DELETE FROM "CaptureSearchFtsState"`,
];

const FTS_UP_TO = `(SELECT "upTo" FROM "CaptureSearchFtsState" WHERE "id" = 1)`;

export const SQLITE_SEARCH_INDEX_SQL = [
  `CREATE TABLE IF NOT EXISTS "CaptureSearchFtsState" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1), "upTo" INTEGER NOT NULL)`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS "CaptureSearchFts" USING fts5(text, content='', contentless_delete=1, tokenize='trigram')`,
  `INSERT INTO "CaptureSearchFtsState" ("id", "upTo") VALUES (1, 0) ON CONFLICT ("id") DO NOTHING`,
  `CREATE TRIGGER IF NOT EXISTS "CaptureSearch_fts_insert_below" AFTER INSERT ON "CaptureSearch" WHEN new."seq" <= ${FTS_UP_TO} BEGIN
     INSERT INTO "CaptureSearchFts"(rowid, text) VALUES (new."seq", new."text");
   END`,
  `CREATE TRIGGER IF NOT EXISTS "CaptureSearch_fts_delete_rowid" AFTER DELETE ON "CaptureSearch" BEGIN
     DELETE FROM "CaptureSearchFts" WHERE rowid = old."seq";
   END`,
  `CREATE TRIGGER IF NOT EXISTS "CaptureSearch_fts_update_below" AFTER UPDATE OF "text" ON "CaptureSearch" WHEN new."seq" <= ${FTS_UP_TO} BEGIN
     DELETE FROM "CaptureSearchFts" WHERE rowid = old."seq";
     INSERT INTO "CaptureSearchFts"(rowid, text) VALUES (new."seq", new."text");
   END`,
];

export const POSTGRES_SEARCH_INDEX_SQL = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE INDEX IF NOT EXISTS "CaptureSearch_text_trgm_idx" ON "CaptureSearch" USING gin ("text" gin_trgm_ops)`,
  `CREATE INDEX IF NOT EXISTS "CaptureSearch_json_idx" ON "CaptureSearch" USING gin ("json" jsonb_path_ops)`,
];

/** An FTS table of the earlier kind: external content over CaptureSearch, fed in each commit. */
function hasExternalContentFts(db: Database.Database): boolean {
  const row = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'CaptureSearchFts'`).get() as { sql: string } | undefined;
  return row !== undefined && !/content\s*=\s*''/.test(row.sql);
}

/**
 * Creates what is missing. On SQLite an FTS table of the earlier kind is replaced by an empty contentless
 * one with the watermark at 0: the write worker's indexer fills it, oldest first (meanwhile searches check
 * the rows above the watermark with LIKE).
 */
export async function ensureSearchIndexes(target: DatabaseTarget): Promise<void> {
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { timeout: 10_000 });
    try {
      db.transaction(() => {
        if (hasExternalContentFts(db)) {
          db.exec(SQLITE_SEARCH_INDEX_SQL[0]!);
          for (const sql of SQLITE_DROP_EXTERNAL_CONTENT) db.exec(sql);
        }
        for (const sql of SQLITE_SEARCH_INDEX_SQL) db.exec(sql);
      }).immediate();
    } finally {
      db.close();
    }
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
