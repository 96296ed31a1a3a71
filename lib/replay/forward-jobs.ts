// The Forwarder's job records and their database work (forwarder.ts runs the loop): jobs written
// in batches, claimed with a lease, results written as one transaction, busy-retry.
import "../runtime/server-only";
import { db, dbProvider } from "../db/client";
import { isBusyError } from "../db/errors";
import { randomToken } from "../runtime/ids";
import { attemptData, type NewAttempt } from "./attempts";
import { forwardLeaseMs } from "./policy";

export interface RuleSnap {
  url: string;
  followRedirects: boolean;
  maxAttempts: number;
}

export interface Queued {
  captureId: string;
  endpointId: string;
  url: string;
}

/** A job as a try reads it. */
export interface DueJob {
  id: string;
  captureId: string;
  endpointId: string;
  url: string;
  attempts: number;
}

export interface JobUpdate {
  state: "pending" | "delivered" | "failed";
  attempts?: number;
  nextAt?: Date;
  lastError?: string | null;
}

/** A finished try (or a cancellation) waiting to be written. */
export interface Finished {
  jobId: string;
  attempt: NewAttempt | null;
  update: JobUpdate;
}

export const FLUSH_MAX = 500;
export const QUEUE_LIMIT = 100_000;
export const RECONCILE_WINDOW_MS = 60 * 60_000;
export const RECONCILE_MAX = 5000;
export const FINISHED_RETENTION_MS = 7 * 86_400_000;

export const newForwardJobId = () => `fj_${Date.now().toString(36).padStart(9, "0")}${randomToken(12)}`;

export async function retryBusy<T>(fn: () => Promise<T>, tries = 40): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusyError(err) || i >= tries) throw err;
      await new Promise((r) => setTimeout(r, Math.min(200, 10 * i)));
    }
  }
}

/** The enabled rules, by endpoint. */
export async function enabledRules(): Promise<Map<string, RuleSnap>> {
  const rows = await db().forwardRule.findMany({
    where: { enabled: true },
    select: { endpointId: true, url: true, followRedirects: true, maxAttempts: true },
  });
  return new Map(rows.map((r) => [r.endpointId, { url: r.url, followRedirects: r.followRedirects, maxAttempts: r.maxAttempts }]));
}

const isUniqueViolation = (err: unknown) => (err as { code?: unknown })?.code === "P2002";

/**
 * Writes queued captures as pending jobs, due now (one createMany). A capture has at most one job
 * (ForwardJob.captureId is unique): one that already has one (written by the start-up catch-up of
 * another instance, or by this one) is skipped, so the batch goes in row by row when it meets one.
 */
export async function insertJobs(batch: readonly Queued[]): Promise<void> {
  const now = new Date();
  const row = (q: Queued) => ({
    id: newForwardJobId(),
    captureId: q.captureId,
    endpointId: q.endpointId,
    url: q.url,
    attempts: 0,
    nextAt: now,
    state: "pending",
  });
  try {
    await retryBusy(() => db().forwardJob.createMany({ data: batch.map(row) }));
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    for (const q of batch) {
      await retryBusy(() => db().forwardJob.create({ data: row(q), select: { id: true } })).catch((e: unknown) => {
        if (!isUniqueViolation(e)) throw e;
      });
    }
  }
}

/** Per enabled rule, the captures since its last change (at most RECONCILE_WINDOW_MS back) that have no job. */
export async function capturesWithoutJob(): Promise<
  { endpointId: string; captures: { id: string; endpointId: string; path: string; query: string; seq: number }[] }[]
> {
  const rules = await db().forwardRule.findMany({ where: { enabled: true }, select: { endpointId: true, updatedAt: true } });
  const out = [];
  for (const rule of rules) {
    const since = Math.max(rule.updatedAt.getTime(), Date.now() - RECONCILE_WINDOW_MS);
    // The newest RECONCILE_MAX rows, filtered here: `receivedAt >= ? … ORDER BY seq ASC` walked the endpoint's
    // (endpointId, seq) index from its oldest capture (the whole endpoint when the window is its newest end).
    const newest = await db().capture.findMany({
      where: { endpointId: rule.endpointId },
      select: { id: true, endpointId: true, path: true, query: true, seq: true, receivedAt: true, rejected: true },
      orderBy: { seq: "desc" },
      take: RECONCILE_MAX,
    });
    const captures = newest
      .filter((c) => c.rejected === null && c.receivedAt >= BigInt(since))
      .reverse()
      .map(({ id, endpointId, path, query, seq }) => ({ id, endpointId, path, query, seq }));
    if (!captures.length) continue;
    const have = new Set<string>();
    for (let i = 0; i < captures.length; i += 500) {
      const ids = captures.slice(i, i + 500).map((c) => c.id);
      const jobs = await db().forwardJob.findMany({ where: { captureId: { in: ids } }, select: { captureId: true } });
      for (const j of jobs) have.add(j.captureId);
    }
    out.push({ endpointId: rule.endpointId, captures: captures.filter((c) => !have.has(c.id)) });
  }
  return out;
}

/**
 * Up to `take` due jobs (none of `skip`), claimed with a lease (forwardLeaseMs): nobody else
 * (another instance, a later poll) takes these until the send has had its time; a crash mid-send
 * leaves them due again when the lease ends. None once `stopped()` (checked before claiming).
 *
 * PostgreSQL (several instances may poll at once): one statement selects the due rows `FOR UPDATE
 * SKIP LOCKED` and moves their nextAt past the lease, returning exactly the rows this claim won; a
 * row another instance is claiming at that moment is skipped, not waited for. SQLite has one
 * process and one poll at a time: the rows read, then one conditional update (only rows still due).
 */
export async function claimDueJobs(take: number, skip: readonly string[], stopped: () => boolean): Promise<DueJob[]> {
  if (stopped()) return [];
  const now = new Date();
  const lease = new Date(now.getTime() + forwardLeaseMs());
  if (dbProvider() === "postgresql") {
    return await db().$queryRawUnsafe<DueJob[]>(CLAIM_PG, lease.toISOString(), now.toISOString(), JSON.stringify(skip), take);
  }
  const due = await db().forwardJob.findMany({
    where: { state: "pending", nextAt: { lte: now }, ...(skip.length && { id: { notIn: [...skip] } }) },
    orderBy: { nextAt: "asc" },
    take,
  });
  if (!due.length || stopped()) return [];
  const ids = due.map((j) => j.id);
  const claimed = await retryBusy(() =>
    db().forwardJob.updateMany({ where: { id: { in: ids }, state: "pending", nextAt: { lte: now } }, data: { nextAt: lease } }),
  );
  if (claimed.count === due.length) return due;
  const mine = new Set(
    (await db().forwardJob.findMany({ where: { id: { in: ids }, nextAt: lease }, select: { id: true } })).map((r) => r.id),
  );
  return due.filter((j) => mine.has(j.id));
}

// $1 lease end, $2 now (ISO, UTC: Prisma stores timestamp(3) in UTC), $3 the ids to skip (JSON array), $4 how many.
export const CLAIM_PG = `WITH due AS (
  SELECT "id" FROM "ForwardJob"
  WHERE "state" = 'pending' AND "nextAt" <= $2::timestamp
    AND NOT ("id" IN (SELECT jsonb_array_elements_text($3::jsonb)))
  ORDER BY "nextAt"
  LIMIT $4
  FOR UPDATE SKIP LOCKED
)
UPDATE "ForwardJob" AS j SET "nextAt" = $1::timestamp, "updatedAt" = $2::timestamp
FROM due WHERE j."id" = due."id"
RETURNING j."id", j."captureId", j."endpointId", j."url", j."attempts"`;

/** Jobs cut short by a stop: due again at once (for the next start) instead of after their lease. */
export async function releaseJobs(ids: readonly string[]): Promise<void> {
  await retryBusy(() => db().forwardJob.updateMany({ where: { id: { in: [...ids] }, state: "pending" }, data: { nextAt: new Date() } }), 5);
}

/** Jobs not yet delivered or failed, every instance's (the metrics' queue depth; the (state, nextAt) index). */
export async function pendingJobCount(): Promise<number> {
  return await db().forwardJob.count({ where: { state: "pending" } });
}

/** Deletes delivered and failed jobs older than FINISHED_RETENTION_MS. */
export async function pruneFinishedJobs(): Promise<void> {
  await db().forwardJob.deleteMany({
    where: { state: { in: ["delivered", "failed"] }, updatedAt: { lt: new Date(Date.now() - FINISHED_RETENTION_MS) } },
  });
}

/** Finished tries and their jobs' new states, as one transaction (one commit). */
export async function writeResults(batch: readonly Finished[]): Promise<void> {
  const ops = (items: readonly Finished[], withAttempts: boolean) =>
    items.flatMap((f) => [
      ...(withAttempts && f.attempt ? [db().attempt.create({ data: attemptData(f.attempt) })] : []),
      db().forwardJob.update({ where: { id: f.jobId }, data: f.update }),
    ]);
  try {
    await retryBusy(() => db().$transaction(ops(batch, true)));
  } catch (err) {
    if (isBusyError(err)) throw err;
    // One bad row (a capture deleted while it was being sent: the attempt's foreign key fails)
    // must not hold back the others: write them one by one.
    for (const f of batch) {
      try {
        await retryBusy(() => db().$transaction(ops([f], true)));
      } catch {
        await retryBusy(() => db().$transaction(ops([f], false))).catch(() => {});
      }
    }
  }
}
