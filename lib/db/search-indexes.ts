// The search projection's indexes that Prisma's schema language cannot describe (the CaptureSearch table
// itself is a Prisma model and migration): run after the migrations at every start, idempotent. Kept out
// of the migration files on purpose: Prisma diffs the datamodel against the migrations replayed, and would
// drop a virtual table or an operator-class index it does not know at the next `db:new-migration`.
//
// SQLite: an FTS5 external-content table over CaptureSearch.text with the trigram tokenizer (substring
// search, case-insensitive; MATCH for 3+ characters and LIKE/GLOB with 3+ literal characters use it),
// holding only the index (its content is CaptureSearch's row), kept in step by triggers; a cascade delete
// from Capture deletes the CaptureSearch row, whose AFTER DELETE trigger removes its FTS entries.
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

export const SQLITE_SEARCH_INDEX_SQL = [
  `CREATE VIRTUAL TABLE IF NOT EXISTS "CaptureSearchFts" USING fts5(text, content='CaptureSearch', content_rowid='seq', tokenize='trigram')`,
  `CREATE TRIGGER IF NOT EXISTS "CaptureSearch_fts_insert" AFTER INSERT ON "CaptureSearch" BEGIN
     INSERT INTO "CaptureSearchFts"(rowid, text) VALUES (new."seq", new."text");
   END`,
  `CREATE TRIGGER IF NOT EXISTS "CaptureSearch_fts_delete" AFTER DELETE ON "CaptureSearch" BEGIN
     INSERT INTO "CaptureSearchFts"("CaptureSearchFts", rowid, text) VALUES ('delete', old."seq", old."text");
   END`,
  `CREATE TRIGGER IF NOT EXISTS "CaptureSearch_fts_update" AFTER UPDATE ON "CaptureSearch" BEGIN
     INSERT INTO "CaptureSearchFts"("CaptureSearchFts", rowid, text) VALUES ('delete', old."seq", old."text");
     INSERT INTO "CaptureSearchFts"(rowid, text) VALUES (new."seq", new."text");
   END`,
];

export const POSTGRES_SEARCH_INDEX_SQL = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE INDEX IF NOT EXISTS "CaptureSearch_text_trgm_idx" ON "CaptureSearch" USING gin ("text" gin_trgm_ops)`,
  `CREATE INDEX IF NOT EXISTS "CaptureSearch_json_idx" ON "CaptureSearch" USING gin ("json" jsonb_path_ops)`,
];

/**
 * Creates what is missing. On SQLite the FTS table is created empty; rows already in CaptureSearch (none
 * before this step first ran, since the table and its triggers arrive in the same start) would need
 * `INSERT INTO CaptureSearchFts(CaptureSearchFts) VALUES('rebuild')`, which runs when the FTS table is new.
 */
export async function ensureSearchIndexes(target: DatabaseTarget): Promise<void> {
  if (target.provider === "sqlite") {
    const db = new Database(target.file, { timeout: 10_000 });
    try {
      const existed = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'CaptureSearchFts'`).get() !== undefined;
      db.transaction(() => {
        for (const sql of SQLITE_SEARCH_INDEX_SQL) db.exec(sql);
        if (!existed) db.exec(`INSERT INTO "CaptureSearchFts"("CaptureSearchFts") VALUES ('rebuild')`);
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
