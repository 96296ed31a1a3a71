// The Forwarder's job records and their database work (forwarder.ts runs the loop): jobs written
// in batches, claimed with a lease, results written as one transaction, busy-retry.
import "../runtime/server-only";
import { db } from "../db/client";
import { isBusyError } from "../db/errors";
import { randomToken } from "../runtime/ids";
import { attemptData, type NewAttempt } from "./attempts";
import { egressLimits } from "./policy";

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

/** Writes queued captures as pending jobs, due now (one createMany). */
export async function insertJobs(batch: readonly Queued[]): Promise<void> {
  const now = new Date();
  await retryBusy(() =>
    db().forwardJob.createMany({
      data: batch.map((q) => ({
        id: newForwardJobId(),
        captureId: q.captureId,
        endpointId: q.endpointId,
        url: q.url,
        attempts: 0,
        nextAt: now,
        state: "pending",
      })),
    }),
  );
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
 * Up to `take` due jobs (none of `skip`), claimed with a lease: nobody else (another instance, a
 * later poll) takes these until the send has had its time; a crash mid-send leaves them due again
 * when the lease ends. The lease's exact time marks which rows this claim won. None once
 * `stopped()` (checked before claiming).
 */
export async function claimDueJobs(take: number, skip: readonly string[], stopped: () => boolean): Promise<DueJob[]> {
  const now = new Date();
  const due = await db().forwardJob.findMany({
    where: { state: "pending", nextAt: { lte: now }, ...(skip.length && { id: { notIn: [...skip] } }) },
    orderBy: { nextAt: "asc" },
    take,
  });
  if (!due.length || stopped()) return [];
  const lease = new Date(Date.now() + egressLimits().totalTimeoutMs + 30_000 + Math.floor(Math.random() * 1000));
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

/** Jobs cut short by a stop: due again at once (for the next start) instead of after their lease. */
export async function releaseJobs(ids: readonly string[]): Promise<void> {
  await retryBusy(() => db().forwardJob.updateMany({ where: { id: { in: [...ids] }, state: "pending" }, data: { nextAt: new Date() } }), 5);
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
