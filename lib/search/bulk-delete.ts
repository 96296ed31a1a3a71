// Delete by query (POST /api/endpoints/:id/captures/delete { q, dryRun }): a dry run answers the count; a
// real run deletes the matches up to the newest capture at the request (later arrivals stay), at once
// when fewer than CLEAR_JOB_THRESHOLD match, else as a `captures.delete_query` job (202 + the job) that
// deletes in batches between capture commits (lib/jobs/purge.ts, with matchingSeqs as its selector).
// The query is parsed once with the request's clock; the job re-parses its text with that same `now`,
// so `received:>-1h` means the same hour however long the job waits. Audited with the query and the count.
import "../runtime/server-only";
import type { Principal } from "../auth/principal";
import { actorOf, audit } from "../audit/audit";
import { config } from "../config";
import { db } from "../db/client";
import type { EndpointAccess } from "../endpoints/access";
import { invalid } from "../errors";
import { enqueueJob, type JobView } from "../jobs/jobs";
import { purge } from "../jobs/purge";
import { type JobContext, registerJobHandler } from "../jobs/runner";
import { parseSearchQuery } from "./query-param";
import { endpointScope } from "./scope";
import { countMatches, indexingPending, matchingSeqs, type SearchInput } from "./service";

export type DeleteOutcome = { count: number; complete: boolean } | { deleted: number } | { job: JobView };

interface JobParams {
  q: string;
  now: number;
  untilSeq: number;
}

async function inputFor(access: EndpointAccess, q: string, now: number): Promise<SearchInput> {
  const query = parseSearchQuery({ q }, now);
  // Whoever may delete may reveal (member and up): the unmasked search, the same the count showed them.
  return { endpoints: await endpointScope(access), query, indexing: await indexingPending([access.endpointId]) };
}

async function newestSeq(endpointId: string): Promise<number> {
  const row = await db().capture.findFirst({ where: { endpointId }, orderBy: { seq: "desc" }, select: { seq: true } });
  return row?.seq ?? 0;
}

export async function deleteByQuery(
  principal: Principal,
  access: EndpointAccess,
  body: { q: string; dryRun?: boolean },
  ip: string | null = null,
): Promise<DeleteOutcome> {
  if (body.q.trim() === "")
    throw invalid("q: an empty query would delete every capture; use DELETE /api/endpoints/:id/captures to clear all.");
  const now = Date.now();
  const input = await inputFor(access, body.q, now);
  const counted = await countMatches(input);
  if (body.dryRun) return { count: counted.count, complete: counted.complete };
  const untilSeq = await newestSeq(access.endpointId);
  const threshold = config().CLEAR_JOB_THRESHOLD;
  let outcome: DeleteOutcome;
  if (counted.count >= threshold || !counted.complete) {
    const params: JobParams = { q: body.q, now, untilSeq };
    outcome = {
      job: await enqueueJob({
        kind: "captures.delete_query",
        endpointId: access.endpointId,
        workspaceId: access.workspaceId,
        ownerKey: access.workspaceId === null ? principal.ownerKey : null,
        createdBy: actorOf(principal).actorLabel,
        params: { ...params },
      }),
    };
  } else {
    outcome = { deleted: await purge(access.endpointId, matchingSeqs(input, untilSeq)) };
  }
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "captures.delete_query",
    targetType: "endpoint",
    targetId: access.endpointId,
    detail: { query: body.q, count: counted.count, ...("job" in outcome ? { jobId: outcome.job.id } : outcome) },
    ip,
  });
  return outcome;
}

async function runDeleteJob(job: { endpointId: string; workspaceId: string | null; params: string; done: number }, ctx: JobContext) {
  const params = JSON.parse(job.params) as JobParams;
  const access: EndpointAccess = {
    endpointId: job.endpointId,
    workspaceId: job.workspaceId,
    role: "member",
    redactionRules: "[]",
    redactAtIngest: false,
  };
  const input = await inputFor(access, params.q, params.now);
  const total = await countMatches(input);
  if (!(await ctx.progress(job.done, job.done + total.count))) return;
  await purge(job.endpointId, matchingSeqs(input, params.untilSeq), { onBatch: (deleted) => ctx.progress(job.done + deleted) });
}

/** server.ts calls this before starting the job runner. */
export function registerSearchJobs(): void {
  registerJobHandler("captures.delete_query", runDeleteJob);
}
