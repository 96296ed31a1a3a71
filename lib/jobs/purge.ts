/**
 * Deleting captures in small batches (issue 16): clear-all, endpoint and workspace deletion, the expiry sweeper and
 * (later) delete-by-query all delete through `purge`. One statement over a million rows held SQLite's write lock for
 * 6.4 s (other endpoints' captures: p99 426 ms, 503s and time-outs); a batch, sized to hold it about PURGE_TARGET_MS,
 * and the pause between batches let the write worker's capture commits in. Each batch deletes the
 * captures' SignatureCheck, Attempt and CaptureSearch rows by their foreign keys' cascade (same statement; on SQLite
 * CaptureSearch's delete trigger removes its FTS5 entries by rowid), and their ForwardJob rows (no foreign key) explicitly.
 */
import "../runtime/server-only";
import { config } from "../config";
import { db, dbProvider } from "../db/client";
import { whileBusy } from "../db/retry";

/**
 * The next batch of sequences to delete (at most `limit`), all of `endpointId`; an empty list ends the purge. It is
 * called again after each batch is deleted, so a selector that reads "the oldest N still matching" needs no cursor.
 * Delete-by-query plugs its own selector in here.
 */
export type BatchSelector = (limit: number) => Promise<number[]>;

export interface PurgeOptions {
  batch?: number;
  pauseMs?: number;
  /** After each batch, with the running total; answering false stops the purge (a cancelled job). */
  onBatch?: (deleted: number) => Promise<boolean | undefined> | boolean | undefined;
}

/**
 * A batch's delete should take about this long at most: SQLite's holds the database's one write lock, PostgreSQL's
 * only the rows' locks (and a pool connection). Batches start small and adapt.
 */
export const PURGE_TARGET_MS = { sqlite: 10, postgresql: 100 } as const;
const MIN_BATCH = 100;
const START_BATCH = 200;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every capture of the endpoint with seq ≤ `untilSeq` (all of them when undefined), oldest first. */
export function endpointSeqs(endpointId: string, untilSeq?: number): BatchSelector {
  return async (limit) =>
    (
      await db().capture.findMany({
        where: { endpointId, ...(untilSeq !== undefined && { seq: { lte: untilSeq } }) },
        orderBy: { seq: "asc" },
        take: limit,
        select: { seq: true },
      })
    ).map((r) => r.seq);
}

/** Deletes the batches `next` selects, one statement per batch with a pause between; returns how many were deleted. */
export async function purge(endpointId: string, next: BatchSelector, opts: PurgeOptions = {}): Promise<number> {
  // Batches are sized by time: a delete's cost per row depends on what the rows hold (their FTS entries, checks,
  // attempts), so a fixed count could hold the write lock for tens of ms. The batch grows while its delete stays
  // under PURGE_TARGET_MS and halves when it goes over, between MIN_BATCH and PURGE_BATCH_ROWS (1,000 by default);
  // PURGE_PAUSE_MS (5 ms): room for a capture group commit between two.
  const ceiling = Math.max(1, opts.batch ?? config().PURGE_BATCH_ROWS);
  const pauseMs = opts.pauseMs ?? config().PURGE_PAUSE_MS;
  const targetMs = PURGE_TARGET_MS[dbProvider()];
  let batch = Math.min(ceiling, START_BATCH);
  let deleted = 0;
  for (;;) {
    const seqs = await next(batch);
    if (seqs.length === 0) return deleted;
    // Scoped by the endpoint as well: a selector can never reach another endpoint's rows. `endpointId = ? AND seq IN`
    // seeks the (endpointId, seq) index (or the primary key) once per sequence.
    const ids = (await db().capture.findMany({ where: { endpointId, seq: { in: seqs } }, select: { id: true } })).map((r) => r.id);
    if (ids.length > 0) {
      // A lock held past the busy timeout (lib/db/retry.ts): wait and try again, and make the next batches smaller.
      const halve = () => {
        batch = Math.max(Math.min(ceiling, MIN_BATCH), Math.floor(batch / 2));
      };
      await whileBusy(() => db().forwardJob.deleteMany({ where: { captureId: { in: ids } } }), { onBusy: halve });
      let ms = 0;
      const { count } = await whileBusy(
        async () => {
          const started = performance.now();
          const result = await db().capture.deleteMany({ where: { endpointId, seq: { in: seqs } } });
          ms = performance.now() - started;
          return result;
        },
        { onBusy: halve },
      );
      deleted += count;
      if (ms > targetMs) halve();
      else if (seqs.length === batch) batch = Math.min(ceiling, Math.ceil(batch * 1.25));
    }
    if ((await opts.onBatch?.(deleted)) === false) return deleted;
    await pause(pauseMs);
  }
}

/** How many captures an endpoint holds, or `limit + 1` when it holds more (reads at most limit + 1 index entries). */
export async function countUpTo(endpointId: string, limit: number, untilSeq?: number): Promise<number> {
  const rows = await db().capture.findMany({
    where: { endpointId, ...(untilSeq !== undefined && { seq: { lte: untilSeq } }) },
    orderBy: { seq: "asc" },
    skip: limit,
    take: 1,
    select: { seq: true },
  });
  return rows.length > 0 ? limit + 1 : countCaptures(endpointId, untilSeq);
}

/** How many captures of the endpoint have seq ≤ `untilSeq` (all when undefined): one pass over its index entries. */
export function countCaptures(endpointId: string, untilSeq?: number): Promise<number> {
  return db().capture.count({ where: { endpointId, ...(untilSeq !== undefined && { seq: { lte: untilSeq } }) } });
}
