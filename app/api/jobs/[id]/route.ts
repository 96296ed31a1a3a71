import { getJob } from "@/lib/jobs/jobs";
import { json, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

// A job (its state and progress), for those who may see its scope; anyone else gets 404.
export const GET = route<Params>(async (req, { id }) => json({ job: await getJob(await requirePrincipal(req), id) }));
