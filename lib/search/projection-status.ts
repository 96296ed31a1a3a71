// How far the search projection is: captures stored before CaptureSearch existed get their rows from the
// write worker's backfill (lib/capture/write/search-backfill.ts), newest first; until it reaches an endpoint's
// oldest capture, SQL search over that endpoint would miss the older ones, so the search API asks
// projectionPending and (when true) says the results may be incomplete or evaluates the rest in memory.
// Every capture committed since the projection exists has its row in the same commit, or (SQLite, under a backlog)
// shortly after it, so the pending ones are those below the lowest projected seq (the backfill's own cursor) with no
// row, and those above the highest projected seq (the write worker's tail, lib/capture/write/search-tail.ts): seeks
// on (endpointId, seq).
import "../runtime/server-only";
import { db, dbProvider } from "../db/client";

const param = () => (dbProvider() === "sqlite" ? "?" : "$1");

/** The backfill's boundary: below it captures may lack a projection (none when null: nothing pending). */
const BELOW = `COALESCE((SELECT min("seq") FROM "CaptureSearch"), (SELECT max("seq") + 1 FROM "Capture"))`;
/** The tail's (SQLite, lib/capture/write/search-tail.ts): captures above it were committed without their projection. */
const ABOVE = `(SELECT max("seq") FROM "CaptureSearch")`;
const MISSING = `NOT EXISTS (SELECT 1 FROM "CaptureSearch" s WHERE s."seq" = c."seq")`;
const PENDING = `((c."seq" < ${BELOW} AND ${MISSING}) OR c."seq" > ${ABOVE})`;

/** True while some capture of the endpoint has no search projection yet. */
export async function projectionPending(endpointId: string): Promise<boolean> {
  const rows = await db().$queryRawUnsafe<unknown[]>(
    `SELECT 1 AS "one" FROM "Capture" c WHERE c."endpointId" = ${param()} AND ${PENDING} LIMIT 1`,
    endpointId,
  );
  return rows.length > 0;
}

/** Captures (of the endpoint, or all) still waiting for their projection; a count over the pending ranges only. */
export async function searchBackfillStatus(endpointId?: string): Promise<{ pending: number }> {
  const [row] = await db().$queryRawUnsafe<{ pending: bigint | number }[]>(
    `SELECT count(*) AS "pending" FROM "Capture" c WHERE ${endpointId === undefined ? "" : `c."endpointId" = ${param()} AND `}${PENDING}`,
    ...(endpointId === undefined ? [] : [endpointId]),
  );
  return { pending: Number(row?.pending ?? 0) };
}
