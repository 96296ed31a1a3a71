// The search projection (issue 16: CaptureSearch, filled by the write path beside each capture in the same
// commit). The bulk loader fills it exactly as the write worker does, by calling the same functions: the
// projection of each row from lib/search/projection.ts (searchProjector, the write worker's), inserted by
// the write path's own insert (sqliteCaptureInserter / insertCaptureRows with the rows' projections, one
// transaction per batch). After the load, `checkFilled` verifies every loaded capture has its row (and on
// SQLite its FTS entries), so a benchmark never runs against a half-filled projection.
import Database from "better-sqlite3";
import pg from "pg";
import type { CaptureRowValues, SearchRowValues } from "../../lib/capture/write/rows";
import { searchIndexFile } from "../../lib/db/search-indexes";
import { searchProjector } from "../../lib/search/projection";
import type { LoadTarget } from "./loader";

/** Tables that look like a search projection of captures. */
export async function searchTables(target: LoadTarget): Promise<string[]> {
  if (target.provider === "sqlite") {
    const db = new Database(target.file!, { readonly: true });
    try {
      const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%Search%'").all() as { name: string }[];
      return rows.map((r) => r.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name ILIKE '%search%'",
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/** The write worker's projection of each row (same order). */
export const projectRows = (rows: readonly CaptureRowValues[]): Promise<SearchRowValues[]> => searchProjector.project(rows);

export const PROJECTION_DESCRIPTION = "CaptureSearch via lib/search/projection.ts searchProjector, in each batch's transaction";

/**
 * Stops the load (throws) unless every capture of the endpoint has its projection row, and on SQLite the FTS
 * index covers them (its watermark, CaptureSearchFtsState.upTo, is at the highest projected seq).
 */
export async function checkFilled(target: LoadTarget, endpointId: string): Promise<{ captures: number; projected: number }> {
  const tables = await searchTables(target);
  if (!tables.some((t) => t === "CaptureSearch"))
    throw new Error("no CaptureSearch table: run the migrations (start the server once) first");
  const captures = `SELECT count(*) AS n FROM "Capture" WHERE "endpointId" = `;
  const projected = `SELECT count(*) AS n FROM "CaptureSearch" WHERE "endpointId" = `;
  let result: { captures: number; projected: number };
  if (target.provider === "sqlite") {
    const db = new Database(target.file!, { readonly: true });
    try {
      const n = (sql: string) => Number((db.prepare(`${sql}?`).get(endpointId) as { n: number }).n);
      result = { captures: n(captures), projected: n(projected) };
      db.prepare(`ATTACH DATABASE ? AS "search"`).run(searchIndexFile(target.file!));
      const range = db.prepare(`SELECT "low", "upTo" FROM "search"."CaptureSearchFtsState" WHERE "id" = 1`).get() as {
        low: number;
        upTo: number;
      };
      const span = db.prepare(`SELECT coalesce(min("seq"), 1) AS first, coalesce(max("seq"), 0) AS last FROM "CaptureSearch"`).get() as {
        first: number;
        last: number;
      };
      if (range.upTo < span.last || range.low > span.first)
        throw new Error(`the FTS index covers seq ${range.low}..${range.upTo}, CaptureSearch holds ${span.first}..${span.last}`);
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    try {
      const n = async (sql: string) => Number((await client.query<{ n: string }>(`${sql}$1`, [endpointId])).rows[0]!.n);
      result = { captures: await n(captures), projected: await n(projected) };
    } finally {
      await client.end();
    }
  }
  if (result.captures !== result.projected) {
    throw new Error(`search projection not filled: ${result.projected} of ${result.captures} captures have a CaptureSearch row`);
  }
  return result;
}
