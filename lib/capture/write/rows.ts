// Capture rows as the write path encodes them for both databases: the column list, one row's
// values, and the batched multi-row INSERT used on PostgreSQL (SQLite's write worker binds the same
// values in sqlite-insert.ts).
import { hash } from "node:crypto";
import { rawRows } from "../../db/capture-adapter";
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

const insertSqlCache = new Map<number, string>();

/** PostgreSQL's `INSERT … VALUES (…), (…) RETURNING` for `rows` rows: placeholders only, cached per size. */
function insertSql(rows: number): string {
  let sql = insertSqlCache.get(rows);
  if (!sql) {
    let n = 0;
    const ph = () => `$${++n}`;
    const tuples = Array.from({ length: rows }, () => `(${CAPTURE_COLUMNS.map(ph).join(", ")})`);
    sql = `INSERT INTO "Capture" (${CAPTURE_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")} RETURNING "id", "seq"`;
    insertSqlCache.set(rows, sql);
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
 * parameters. Used on PostgreSQL; SQLite's write worker uses sqlite-insert.ts.
 */
export async function insertCaptureRows(rows: readonly CaptureRowValues[]): Promise<number[]> {
  const params: unknown[] = [];
  for (const r of rows) params.push(...bindableValues(r));
  const inserted = await rawRows(insertSql(rows.length), params);
  const seqs = new Map(inserted.map((r) => [String(r[0]), Number(r[1])]));
  return rows.map((r) => seqs.get(r[ID] as string) ?? 0);
}
