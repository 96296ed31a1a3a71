import { getJob } from "@/lib/jobs/jobs";
import { requirePrincipal, route } from "@/lib/http/route";
import { openJobStream, SSE_HEADERS } from "@/lib/http/job-stream";

type Params = { id: string };

export const dynamic = "force-dynamic";

// The job's progress as Server-Sent Events until it ends; authorized on open and again at every read.
export const GET = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  await getJob(principal, id);
  return new Response(
    openJobStream(() => getJob(principal, id), req.signal),
    { headers: SSE_HEADERS },
  );
});
