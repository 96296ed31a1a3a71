/**
 * Runs queued jobs in the server process: at most JOB_CONCURRENCY at once and one at a time per endpoint. A job is
 * claimed by moving it from queued to running in one conditional update; its progress is written after every batch by
 * an update that only matches while it is still running, so a cancel (which moves it to cancelled) stops it at the
 * next batch. After a restart, jobs left running are queued again and resume: every kind is idempotent (it deletes
 * what is still there), and its `done` count carries on from the stored figure.
 */
import "../runtime/server-only";
import { db, dbProvider, optimizePlanner } from "../db/client";
import { audit } from "../audit/audit";
import { log } from "../runtime/log";
import { shared } from "../runtime/shared";
import type { JobKind, JobRow } from "./jobs";
import { countCaptures, endpointSeqs, purge } from "./purge";

export const JOB_CONCURRENCY = 2;
/** A fallback poll, for jobs queued while the runner was busy or by another module instance. */
const POLL_MS = 2000;

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

  async start(): Promise<void> {
    const { count } = await db().job.updateMany({ where: { state: "running" }, data: { state: "queued" } });
    // Cancelled while a runner of a process that is gone held them: nothing runs them any more.
    await db().job.updateMany({ where: { state: "cancelled", finishedAt: null }, data: { finishedAt: new Date() } });
    if (count > 0) log().info({ resumed: count }, "jobs resumed after a restart");
    this.timer = setInterval(() => this.pump(), POLL_MS);
    this.timer.unref();
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
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
    while (this.running < JOB_CONCURRENCY && !this.stopped) {
      const queued = await db().job.findMany({ where: { state: "queued" }, orderBy: { createdAt: "asc" }, take: 20 });
      const next = queued.find((j) => !this.active.has(j.endpointId));
      if (!next) return;
      const { count } = await db().job.updateMany({
        where: { id: next.id, state: "queued" },
        data: { state: "running", startedAt: next.startedAt ?? new Date() },
      });
      if (count === 0) continue; // cancelled meanwhile
      this.active.add(next.endpointId);
      this.running++;
      void this.run(next);
    }
  }

  private async run(job: JobRow): Promise<void> {
    const ctx: JobContext = {
      progress: async (done, total) => {
        const data = { done, ...(total !== undefined && { total }) };
        if ((await db().job.updateMany({ where: { id: job.id, state: "running" }, data })).count > 0) return true;
        // Cancelled while this batch ran: the batch is gone all the same, so it counts; then stop.
        await db().job.updateMany({ where: { id: job.id, state: "cancelled", finishedAt: null }, data });
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
    try {
      const { count } = await db().job.updateMany({
        where: { id: job.id, state: "running" },
        data: { state: outcome, error, finishedAt: new Date() },
      });
      // A cancelled job ends once its runner stopped (see cancelJob).
      await db().job.updateMany({ where: { id: job.id, state: "cancelled", finishedAt: null }, data: { finishedAt: new Date() } });
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
export async function startJobRunner(): Promise<() => void> {
  const r = runner();
  shared("job-kick", () => ({ kick: () => {} })).kick = () => r.pump();
  await r.start();
  return () => r.stop();
}
