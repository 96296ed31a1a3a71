import { getJob } from "@/lib/jobs/jobs";
import { idParams, route } from "@/lib/http/route";

// A job (its state and progress), for those who may see its scope; anyone else gets 404.
export const GET = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => ({
  job: await getJob(principal, id),
}));
