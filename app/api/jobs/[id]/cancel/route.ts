import { cancelJob } from "@/lib/jobs/jobs";
import { idParams, route } from "@/lib/http/route";

// Cancels a queued or running job (it stops after the batch in hand); audited.
export const POST = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => ({
  job: await cancelJob(principal, id),
}));
