/**
 * Jobs: long bulk work (clearing a large endpoint, purging a deleted one) recorded in the Job table with its progress,
 * run by lib/jobs/runner.ts in the server process. A job's scope is its endpoint's workspace (or, for an anonymous
 * endpoint, the owner cookie's key): who may read the workspace's captures may see the job, who may delete them may
 * cancel it; anyone else gets the same 404 as for a missing job.
 */
import "../runtime/server-only";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { can, forbiddenRole, type Action, type Role } from "../auth/roles";
import { audit } from "../audit/audit";
import { AppError, notFound } from "../errors";
import { randomToken } from "../runtime/ids";
import { shared } from "../runtime/shared";

export const JOB_KINDS = ["captures.clear", "endpoint.purge", "captures.delete_query"] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobState = "queued" | "running" | "done" | "failed" | "cancelled";
export const ACTIVE_STATES: JobState[] = ["queued", "running"];
export const FINAL_STATES: JobState[] = ["done", "failed", "cancelled"];

/** The action a caller needs on the scope to cancel a job of this kind (seeing it needs capture.read). */
const CANCEL_ACTION: Record<JobKind, Action | null> = {
  "captures.clear": "capture.delete",
  "captures.delete_query": "capture.delete",
  // The endpoint is already gone for everyone: its purge always finishes.
  "endpoint.purge": null,
};

export type JobRow = NonNullable<Awaited<ReturnType<ReturnType<typeof db>["job"]["findUnique"]>>>;

export interface JobView {
  id: string;
  kind: string;
  endpointId: string;
  workspaceId: string | null;
  state: JobState;
  total: number | null;
  done: number;
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * The job will change no more: a final state with its finishedAt. A running job that was cancelled is "cancelled"
 * at once but has no finishedAt until its runner stopped (its last batch may still be deleting).
 */
export function jobEnded(job: Pick<JobView, "state" | "finishedAt">): boolean {
  return FINAL_STATES.includes(job.state) && job.finishedAt !== null;
}

export function jobView(j: JobRow): JobView {
  return {
    id: j.id,
    kind: j.kind,
    endpointId: j.endpointId,
    workspaceId: j.workspaceId,
    state: j.state as JobState,
    total: j.total,
    done: j.done,
    error: j.error,
    createdBy: j.createdBy,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

export const newJobId = () => `job_${randomToken(12)}`;

/** Wakes the runner (lib/jobs/runner.ts registers itself here; nothing happens before the server started it). */
export function kickJobs(): void {
  shared("job-kick", () => ({ kick: () => {} })).kick();
}

export interface EnqueueInput {
  kind: JobKind;
  endpointId: string;
  workspaceId: string | null;
  ownerKey: string | null;
  createdBy: string;
  params?: Record<string, unknown>;
}

/** Queues a job, or answers the queued or running one of the same kind on the same endpoint (a second clear joins the first). */
export async function enqueueJob(input: EnqueueInput): Promise<JobView> {
  const existing = await db().job.findFirst({
    where: { endpointId: input.endpointId, kind: input.kind, state: { in: ACTIVE_STATES } },
    orderBy: { createdAt: "asc" },
  });
  if (existing) return jobView(existing);
  const row = await db().job.create({
    data: {
      id: newJobId(),
      kind: input.kind,
      endpointId: input.endpointId,
      workspaceId: input.workspaceId,
      ownerKey: input.ownerKey,
      createdBy: input.createdBy,
      params: JSON.stringify(input.params ?? {}),
    },
  });
  kickJobs();
  return jobView(row);
}

function roleOnJob(principal: Principal, job: JobRow): Role | null {
  if (job.workspaceId) return principal.roles.get(job.workspaceId) ?? null;
  return job.ownerKey !== null && principal.ownerKey === job.ownerKey ? "owner" : null;
}

/** The job, if the principal may see its scope; otherwise (or missing) a 404. */
export async function jobFor(principal: Principal, id: string): Promise<JobRow> {
  const job = await db().job.findUnique({ where: { id } });
  const role = job ? roleOnJob(principal, job) : null;
  if (!job || role === null || !can(role, "capture.read")) throw notFound("job");
  return job;
}

export async function getJob(principal: Principal, id: string): Promise<JobView> {
  return jobView(await jobFor(principal, id));
}

/** Cancels a queued or running job; the runner stops after the batch in hand. A finished job is answered as it is. */
export async function cancelJob(principal: Principal, id: string, ip: string | null = null): Promise<JobView> {
  const job = await jobFor(principal, id);
  const action = CANCEL_ACTION[job.kind as JobKind] ?? null;
  if (action === null) throw new AppError("not_cancellable", "This job cannot be cancelled.");
  if (!can(roleOnJob(principal, job)!, action)) throw forbiddenRole(action);
  // A queued job ends here; a running one is marked and ends when its runner stops after the batch in hand, which
  // records that batch in `done` and sets finishedAt (jobEnded), so "cancelled after N" counts what is really gone.
  const queued = await db().job.updateMany({ where: { id, state: "queued" }, data: { state: "cancelled", finishedAt: new Date() } });
  const running = await db().job.updateMany({ where: { id, state: "running" }, data: { state: "cancelled" } });
  if (queued.count + running.count > 0) {
    await audit(principal, {
      workspaceId: job.workspaceId,
      action: "job.cancel",
      targetType: "job",
      targetId: id,
      detail: { kind: job.kind, endpointId: job.endpointId, done: job.done },
      ip,
    });
  }
  return jobView((await db().job.findUnique({ where: { id } }))!);
}
