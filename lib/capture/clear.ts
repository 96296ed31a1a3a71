// Clear-all (DELETE /api/endpoints/:id/captures): a small endpoint is cleared at once (in batches) and answered with
// `{ deleted }` as before; one with more than CLEAR_JOB_THRESHOLD captures becomes a `captures.clear` job (202 + the job)
// that deletes every capture up to the newest one at the time of the request.
import "../runtime/server-only";
import type { Principal } from "../auth/principal";
import { actorOf, audit } from "../audit/audit";
import { config } from "../config";
import type { EndpointAccess } from "../endpoints/access";
import { enqueueJob, type JobView } from "../jobs/jobs";
import { countUpTo } from "../jobs/purge";
import { clearCaptures, latestSeq } from "./store";

export type ClearOutcome = { deleted: number } | { job: JobView };

export async function clearOrQueue(principal: Principal, access: EndpointAccess): Promise<ClearOutcome> {
  const endpointId = access.endpointId;
  const threshold = config().CLEAR_JOB_THRESHOLD;
  const untilSeq = await latestSeq(endpointId);
  const outcome: ClearOutcome =
    (await countUpTo(endpointId, threshold, untilSeq)) > threshold
      ? {
          job: await enqueueJob({
            kind: "captures.clear",
            endpointId,
            workspaceId: access.workspaceId,
            // An anonymous endpoint's caller holds its owner cookie (access was checked): the job is theirs to see.
            ownerKey: access.workspaceId === null ? principal.ownerKey : null,
            createdBy: actorOf(principal).actorLabel,
            params: { untilSeq },
          }),
        }
      : { deleted: await clearCaptures(endpointId, untilSeq) };
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "captures.clear",
    targetType: "endpoint",
    targetId: endpointId,
    detail: "job" in outcome ? { jobId: outcome.job.id } : { deleted: outcome.deleted },
  });
  return outcome;
}
