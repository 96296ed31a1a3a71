import { getJob } from "@/lib/jobs/jobs";
import { idParams, route } from "@/lib/http/route";
import { openJobStream, SSE_HEADERS } from "@/lib/http/job-stream";

export const dynamic = "force-dynamic";

// The job's progress as Server-Sent Events until it ends; authorized on open and again at every read.
export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id } }) => {
  await getJob(principal, id);
  return new Response(
    openJobStream(() => getJob(principal, id), req.signal),
    { headers: SSE_HEADERS },
  );
});
