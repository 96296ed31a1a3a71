/**
 * Runs queued jobs in the server process: at most JOB_CONCURRENCY at once and one at a time per endpoint. A job is
 * claimed by moving it to running with this instance as its `owner` and a lease (`leaseUntil`, JOB_LEASE_MS ahead);
 * the owner renews the lease with every progress write and on a timer while a batch runs. Every write of the runner
 * matches only while the job is running and still its own, so a cancel (which moves it to cancelled) stops it at the
 * next batch, and so does losing it. Several instances (cluster mode) share the table: a running job whose lease has
 * ended (its instance died or hung) is claimed by another runner and resumes: every kind is idempotent (it deletes
 * what is still there), and its `done` count carries on from the stored figure. A live lease is never taken, so a
 * restarting instance leaves the jobs other instances run alone. One instance on its own (no REDIS_URL) knows that
 * the running jobs it finds at start are a dead process's: they are due at once.
 *
 * The claim: on PostgreSQL one statement picks the oldest claimable job `FOR UPDATE SKIP LOCKED` (two instances
 * claiming at once never take the same row) and moves it to running; SQLite (one process) reads the candidates and
 * claims one with a conditional update.
 */
import "../runtime/server-only";
import { randomUUID } from "node:crypto";
import { config } from "../config";
import { db, dbProvider, optimizePlanner } from "../db/client";
import { whileBusy } from "../db/retry";
import { audit } from "../audit/audit";
import { log } from "../runtime/log";
import { shared } from "../runtime/shared";
import type { JobKind, JobRow } from "./jobs";
import { countCaptures, endpointSeqs, purge } from "./purge";

export const JOB_CONCURRENCY = 2;
/** A fallback poll, for jobs queued while the runner was busy or by another module instance. */
const POLL_MS = 2000;

/** This process's name as a job owner. */
export const JOB_OWNER = randomUUID();
const leaseMs = () => config().JOB_LEASE_MS;
const leaseEnd = () => new Date(Date.now() + leaseMs());

/** A job nobody holds: queued, or running under a lease that has ended (or none: written before leases). */
const claimable = (now: Date) => ({
  OR: [{ state: "queued" }, { state: "running", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }],
});

// $1 lease end, $2 now (ISO, UTC as Prisma stores timestamp(3)), $3 endpoints to skip (JSON array), $4 the owner.
// An endpoint with another job under a live lease is skipped: one job at a time per endpoint, across instances.
export const CLAIM_JOB_PG = `WITH next AS (
  SELECT j."id", j."state" FROM "Job" j
  WHERE (j."state" = 'queued' OR (j."state" = 'running' AND (j."leaseUntil" IS NULL OR j."leaseUntil" < $2::timestamp)))
    AND NOT (j."endpointId" IN (SELECT jsonb_array_elements_text($3::jsonb)))
    AND NOT EXISTS (
      SELECT 1 FROM "Job" o
      WHERE o."endpointId" = j."endpointId" AND o."state" = 'running' AND o."id" <> j."id" AND o."leaseUntil" >= $2::timestamp
    )
  ORDER BY j."createdAt"
  LIMIT 1
  FOR UPDATE OF j SKIP LOCKED
)
UPDATE "Job" AS u SET "state" = 'running', "owner" = $4, "leaseUntil" = $1::timestamp,
  "startedAt" = COALESCE(u."startedAt", $2::timestamp), "updatedAt" = $2::timestamp
FROM next WHERE u."id" = next."id"
RETURNING u."id", next."state" AS "was"`;

/** Claims the oldest claimable job of an endpoint not in `skip` for this instance; null when there is none. */
async function claimJob(skip: ReadonlySet<string>): Promise<{ job: JobRow; resumed: boolean } | null> {
  const now = new Date();
  const lease = leaseEnd();
  if (dbProvider() === "postgresql") {
    const rows = await db().$queryRawUnsafe<{ id: string; was: string }[]>(
      CLAIM_JOB_PG,
      lease.toISOString(),
      now.toISOString(),
      JSON.stringify([...skip]),
      JOB_OWNER,
    );
    const row = rows[0];
    if (!row) return null;
    const job = await db().job.findUnique({ where: { id: row.id } });
    return job ? { job, resumed: row.was === "running" } : null;
  }
  for (;;) {
    const candidates = await db().job.findMany({ where: claimable(now), orderBy: { createdAt: "asc" }, take: 20 });
    const next = candidates.find((j) => !skip.has(j.endpointId));
    if (!next) return null;
    const { count } = await db().job.updateMany({
      where: { id: next.id, ...claimable(now) },
      data: { state: "running", owner: JOB_OWNER, leaseUntil: lease, startedAt: next.startedAt ?? now },
    });
    // Cancelled (or taken) meanwhile: look again.
    if (count > 0) return { job: { ...next, state: "running", owner: JOB_OWNER, leaseUntil: lease }, resumed: next.state === "running" };
  }
}

export interface JobContext {
  /** Records progress; false once the job is no longer running (cancelled): stop. */
  progress(done: number, total?: number): Promise<boolean>;
}

export type JobHandler = (job: JobRow, ctx: JobContext) => Promise<void>;
type Handler = JobHandler;

/**
 * Kinds whose work lives in a module above lib/jobs (delete by query: lib/search/bulk-delete.ts), registered by
 * server.ts before the runner starts, so lib/jobs imports nothing of theirs.
 */
const registered = () => shared("job-handlers", () => new Map<string, JobHandler>());

export function registerJobHandler(kind: JobKind, handler: JobHandler): void {
  registered().set(kind, handler);
}

async function clearEndpoint(job: JobRow, ctx: JobContext, untilSeq: number | undefined): Promise<void> {
  const remaining = await countCaptures(job.endpointId, untilSeq);
  if (!(await ctx.progress(job.done, job.done + remaining))) return;
  await purge(job.endpointId, endpointSeqs(job.endpointId, untilSeq), { onBatch: (deleted) => ctx.progress(job.done + deleted) });
}

const HANDLERS: Partial<Record<JobKind, Handler>> = {
  // Every capture up to the newest one when the clear was asked for; later arrivals stay.
  "captures.clear": (job, ctx) => clearEndpoint(job, ctx, (JSON.parse(job.params) as { untilSeq?: number }).untilSeq ?? 0),
  // A deleted endpoint (hidden at once by its expiresAt in the past): its captures, then the row itself.
  "endpoint.purge": async (job, ctx) => {
    await clearEndpoint(job, ctx, undefined);
    if ((await db().job.count({ where: { id: job.id, state: "running" } })) === 0) return;
    await db().endpoint.deleteMany({ where: { id: job.endpointId, expiresAt: { lte: new Date() } } });
  },
};

class Runner {
  private readonly active = new Set<string>();
  private running = 0;
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  stopped = false;
  /** Stopping: the jobs in hand are left to another runner (see stop). */
  private released = false;

  /** `alone`: no other instance shares the database (no REDIS_URL), so running jobs are a dead process's: now due. */
  async start(alone: boolean): Promise<void> {
    if (alone) {
      const { count } = await db().job.updateMany({ where: { state: "running" }, data: { leaseUntil: null } });
      if (count > 0) log().info({ resumed: count }, "jobs interrupted by a restart are due again");
    }
    this.timer = setInterval(() => this.pump(), POLL_MS);
    this.timer.unref();
    this.pump();
  }

  /**
   * Stops claiming, and releases this instance's running jobs (their lease ends now) so another instance, or this
   * one's next start, resumes them at once: the batch in hand is not counted in `done` (the next runner recounts what
   * is left) and the outcome is left to the next runner.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    if (this.running === 0) return;
    const { count } = await db().job.updateMany({ where: { owner: JOB_OWNER, state: "running" }, data: { leaseUntil: new Date() } });
    if (count > 0) log().info({ released: count }, "jobs released for another runner");
  }

  /** Starts what may start; safe to call any time (concurrent calls fold into one more pass). */
  pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.fill()
      .catch((err) => log().warn({ err: (err as Error).message }, "job runner: could not start jobs"))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async fill(): Promise<void> {
    // Cancelled while a runner that is gone held them (its lease ended): nothing runs them any more.
    await db().job.updateMany({
      where: { state: "cancelled", finishedAt: null, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] },
      data: { finishedAt: new Date() },
    });
    while (this.running < JOB_CONCURRENCY && !this.stopped) {
      const claimed = await claimJob(this.active);
      if (!claimed) return;
      const { job, resumed } = claimed;
      const fields = { job: job.id, kind: job.kind, done: job.done, owner: JOB_OWNER };
      log().info(fields, resumed ? "job resumed: its runner's lease had ended" : "job started");
      this.active.add(job.endpointId);
      this.running++;
      void this.run(job);
    }
  }

  private async run(job: JobRow): Promise<void> {
    const mine = { id: job.id, owner: JOB_OWNER };
    // Renews the lease while a batch runs (a slow batch writes no progress for a while).
    const renew = setInterval(
      () =>
        !this.released &&
        void db()
          .job.updateMany({ where: { ...mine, state: "running" }, data: { leaseUntil: leaseEnd() } })
          .catch((err) => log().warn({ job: job.id, err: (err as Error).message }, "job runner: could not renew a lease")),
      Math.max(200, Math.floor(leaseMs() / 3)),
    );
    renew.unref();
    const ctx: JobContext = {
      progress: async (done, total) => {
        if (this.released) return false;
        const data = { done, ...(total !== undefined && { total }) };
        // Waits out a busy database (lib/db/retry.ts) rather than failing a job whose batch is already done.
        const updated = await whileBusy(() =>
          db().job.updateMany({ where: { ...mine, state: "running" }, data: { ...data, leaseUntil: leaseEnd() } }),
        );
        if (updated.count > 0) {
          return true;
        }
        // Cancelled while this batch ran: the batch is gone all the same, so it counts; then stop. (A job another
        // runner took over, this one's lease having ended, is left to it.)
        await db().job.updateMany({ where: { ...mine, state: "cancelled", finishedAt: null }, data });
        return false;
      },
    };
    let outcome: "done" | "failed" = "done";
    let error: string | null = null;
    try {
      const handler = HANDLERS[job.kind as JobKind] ?? registered().get(job.kind);
      if (!handler) throw new Error(`unknown job kind ${job.kind}`);
      await handler(job, ctx);
    } catch (err) {
      outcome = "failed";
      error = (err as Error).message.slice(0, 500);
      log().warn({ job: job.id, kind: job.kind, err: error }, "job failed");
    }
    clearInterval(renew);
    try {
      // Released by a stop: still running, for the next runner to resume and finish.
      const { count } = this.released
        ? { count: 0 }
        : await whileBusy(() =>
            db().job.updateMany({
              where: { ...mine, state: "running" },
              data: { state: outcome, error, finishedAt: new Date(), leaseUntil: null },
            }),
          );
      // A cancelled job ends once its runner stopped (see cancelJob).
      await db().job.updateMany({ where: { ...mine, state: "cancelled", finishedAt: null }, data: { finishedAt: new Date() } });
      const final = await db().job.findUnique({ where: { id: job.id } });
      if (count > 0 && final) {
        await audit(
          { actorType: "system", actorId: null, actorLabel: "jobs" },
          {
            workspaceId: job.workspaceId,
            action: "job.finish",
            targetType: "job",
            targetId: job.id,
            detail: { kind: job.kind, endpointId: job.endpointId, state: outcome, done: final.done, startedBy: job.createdBy },
          },
        );
      }
    } catch (err) {
      log().warn({ job: job.id, err: (err as Error).message }, "job runner: could not record the outcome");
    }
    // The endpoint's planner figures described the rows just deleted (PostgreSQL: autovacuum analyses it).
    if (dbProvider() === "sqlite") await optimizePlanner(db()).catch(() => {});
    this.active.delete(job.endpointId);
    this.running--;
    this.pump();
  }
}

const runner = () => shared("job-runner", () => new Runner());

/** Starts the runner (server.ts, once): resumes what a restart interrupted, then runs what is queued. */
export async function startJobRunner(opts: { alone: boolean }): Promise<() => Promise<void>> {
  const r = runner();
  shared("job-kick", () => ({ kick: () => {} })).kick = () => r.pump();
  await r.start(opts.alone);
  return () => r.stop();
}
