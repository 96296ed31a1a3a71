// Capture rows as the write path encodes them for both databases: the column list, one row's
// values, and the batched multi-row INSERT used on PostgreSQL (SQLite's write worker binds the same
// values in sqlite-insert.ts).
import { hash } from "node:crypto";
import { rawRows } from "../../db/capture-adapter";
import { config } from "../../config";
import type { NewCapture } from "../../model/capture";

export const CAPTURE_COLUMNS = [
  "id",
  "endpointId",
  "receivedAt",
  "method",
  "path",
  "query",
  "httpVersion",
  "headers",
  "body",
  "bodySize",
  "bodySha256",
  "contentType",
  "remoteAddr",
  "rejected",
  "responseStatus",
  "durationMs",
] as const;

/**
 * The search projection's columns beside seq and endpointId (the CaptureSearch table, contract in
 * prisma/schema.prisma), in this order; computed from the capture by lib/search/projection.ts on the write
 * worker, and inserted in the capture's own transaction.
 */
export const SEARCH_COLUMNS = ["text", "bodyStart", "bodyType", "provider", "event", "delivery", "json", "form"] as const;
export type SearchRowValues = [
  text: string,
  bodyStart: number,
  bodyType: string,
  provider: string | null,
  event: string | null,
  delivery: string | null,
  json: string | null,
  form: string | null,
];
/**
 * SQLite: each search column's placeholder in an INSERT. `json` is stored as SQLite's binary JSONB (`jsonb(?)` of
 * the re-encoded text): json_extract / json_type read it without parsing text, and it is about 30% smaller than
 * the text (docs/architecture.md "Search projection"). Readers take it back as text with `json("json")`.
 */
export const sqliteSearchPlaceholder = (c: (typeof SEARCH_COLUMNS)[number]): string => (c === "json" ? "jsonb(?)" : "?");

/** Computes each row's projection (never rejects: a capture that cannot be analysed gets a minimal one). */
export type ProjectRows = (rows: readonly CaptureRowValues[]) => Promise<SearchRowValues[]>;

const SEARCH_PG_TYPES = ["text", "int", "text", "text", "text", "text", "text", "text"] as const;

const insertSqlCache = new Map<string, string>();

/** Each capture column's PostgreSQL type, for the typed VALUES list of the locked insert. */
const CAPTURE_PG_TYPES: Record<(typeof CAPTURE_COLUMNS)[number], string> = {
  id: "text",
  endpointId: "text",
  receivedAt: "bigint",
  method: "text",
  path: "text",
  query: "text",
  httpVersion: "text",
  headers: "text",
  body: "bytea",
  bodySize: "int",
  bodySha256: "text",
  contentType: "text",
  remoteAddr: "text",
  rejected: "text",
  responseStatus: "int",
  durationMs: "int",
};

/**
 * PostgreSQL's `INSERT … VALUES (…), (…) RETURNING` for `rows` rows: placeholders only, cached per size. With
 * the projection, one statement still: the capture insert is a data-modifying CTE whose returned seqs feed the
 * CaptureSearch insert, so both commit together (or neither).
 *
 * `locked` (cluster mode): the statement first takes the row locks of the group's endpoints (the last
 * parameter, an array of ids), in id order so two groups never wait on each other in a cycle, and only then
 * draws the seqs. The capture rows come from a typed VALUES list behind `WHERE (SELECT count(*) FROM l) >= 0`:
 * an uncorrelated subquery, which PostgreSQL runs once as the gate (a Result node's One-Time Filter) before it
 * produces the first row, and `nextval` is computed in that node's output, per row, after the gate. The locks
 * are held until the statement's commit. Why: see insertCaptureRows.
 */
function insertSql(rows: number, withSearch: boolean, locked: boolean): string {
  const key = `${rows}:${withSearch}:${locked}`;
  let sql = insertSqlCache.get(key);
  if (!sql) {
    let n = 0;
    const ph = () => `$${++n}`;
    const columns = CAPTURE_COLUMNS.map((c) => `"${c}"`).join(", ");
    const tuples = Array.from(
      { length: rows },
      () => `(${CAPTURE_COLUMNS.map((c) => (locked ? `${ph()}::${CAPTURE_PG_TYPES[c]}` : ph())).join(", ")})`,
    );
    const capture = locked
      ? `INSERT INTO "Capture" (${columns}) SELECT * FROM (VALUES ${tuples.join(", ")}) AS v(${columns}) WHERE (SELECT count(*) FROM l) >= 0 RETURNING "id", "seq"`
      : `INSERT INTO "Capture" (${columns}) VALUES ${tuples.join(", ")} RETURNING "id", "seq"`;
    let ctes: string[] = [];
    let tail: string;
    if (!withSearch) {
      if (!locked) tail = capture;
      else {
        ctes = [`c AS (${capture})`];
        tail = `SELECT "id", "seq" FROM c`;
      }
    } else {
      const search = Array.from({ length: rows }, () => `(${ph()}::text, ${SEARCH_PG_TYPES.map((t) => `${ph()}::${t}`).join(", ")})`);
      const cols = SEARCH_COLUMNS.map((c) => `"${c}"`);
      ctes = [
        `c AS (${capture.replace('RETURNING "id", "seq"', 'RETURNING "id", "seq", "endpointId"')})`,
        `s AS (INSERT INTO "CaptureSearch" ("seq", "endpointId", ${cols.join(", ")}) ` +
          `SELECT c."seq", c."endpointId", ${SEARCH_COLUMNS.map((c) => (c === "json" ? `v."json"::jsonb` : `v."${c}"`)).join(", ")} ` +
          `FROM c JOIN (VALUES ${search.join(", ")}) AS v("id", ${cols.join(", ")}) ON v."id" = c."id")`,
      ];
      tail = `SELECT "id", "seq" FROM c`;
    }
    if (locked) {
      ctes.unshift(`l AS MATERIALIZED (SELECT "id" FROM "Endpoint" WHERE "id" = ANY(${ph()}::text[]) ORDER BY "id" FOR NO KEY UPDATE)`);
    }
    sql = ctes.length ? `WITH ${ctes.join(", ")} ${tail}` : tail;
    insertSqlCache.set(key, sql);
  }
  return sql;
}

/** A capture's column values in CAPTURE_COLUMNS order, as the door posts it to the write worker. */
export type CaptureRowValues = unknown[];

export function captureRowValues(r: NewCapture): CaptureRowValues {
  // A body that is a view into a larger buffer is copied, so posting it never clones the rest.
  const body = r.body.byteLength === r.body.buffer.byteLength ? r.body : Buffer.from(r.body);
  return [
    r.id,
    r.endpointId,
    r.receivedAt,
    r.method,
    r.path,
    r.query,
    r.httpVersion,
    JSON.stringify(r.headers),
    body,
    r.bodySize,
    r.bodySha256,
    r.contentType,
    r.remoteAddr,
    r.rejected,
    r.responseStatus,
    r.durationMs,
  ];
}

const ID = 0;
const ENDPOINT_ID = 1;
const RECEIVED_AT = CAPTURE_COLUMNS.indexOf("receivedAt");
const BODY = CAPTURE_COLUMNS.indexOf("body");
const BODY_SHA256 = CAPTURE_COLUMNS.indexOf("bodySha256");

/**
 * Posted values as the driver binds them: receivedAt as a 64-bit integer, the body as a Buffer,
 * and the body's sha256 computed here (in the write worker) when the door left it null.
 */
export function bindableValues(row: CaptureRowValues, into: unknown[] = new Array(row.length)): unknown[] {
  for (let i = 0; i < row.length; i++) into[i] = row[i];
  into[RECEIVED_AT] = BigInt(row[RECEIVED_AT] as number);
  const b = row[BODY] as Uint8Array; // a structured clone arrives as a Uint8Array
  const body = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  into[BODY] = body;
  // crypto.hash: one call, no Hash object per capture (half the cost of createHash on 1 KB).
  if (into[BODY_SHA256] === null) into[BODY_SHA256] = hash("sha256", body, "hex");
  return into;
}

export const bodyLength = (row: CaptureRowValues) => (row[BODY] as Uint8Array).byteLength;

/**
 * Inserts a group of captures in one statement (one commit) and returns each row's sequence, in
 * the order given. One multi-row INSERT through Prisma's driver adapter (lib/db/capture-adapter.ts),
 * the SQL text built from placeholders only and cached per group size; values are always bound
 * parameters. Used on PostgreSQL; SQLite's write worker uses sqlite-insert.ts. `search`: each row's projection
 * (same order), inserted in the same statement.
 */
export async function insertCaptureRows(rows: readonly CaptureRowValues[], search?: readonly SearchRowValues[]): Promise<number[]> {
  const params: unknown[] = [];
  for (const r of rows) params.push(...bindableValues(r));
  if (search) for (let i = 0; i < rows.length; i++) params.push(rows[i]![ID], ...search[i]!);
  // Cluster mode: PostgreSQL hands out a SERIAL value before its transaction commits, so without the
  // endpoint locks instance B could commit seq 10 after A's seq 11 was read by a live stream, which would
  // then never read 10. Under the locks, the commits of one endpoint are serialised across instances and its
  // visible seqs are always a prefix (lib/cluster/live-feed.ts relies on it). One instance alone commits one
  // group at a time (the write worker), so it takes none.
  const locked = config().REDIS_URL !== undefined;
  if (locked) params.push([...new Set(rows.map((r) => r[ENDPOINT_ID] as string))]);
  const inserted = await rawRows(insertSql(rows.length, search !== undefined, locked), params);
  const seqs = new Map(inserted.map((r) => [String(r[0]), Number(r[1])]));
  return rows.map((r) => seqs.get(r[ID] as string) ?? 0);
}
