import { cancelJob } from "@/lib/jobs/jobs";
import { json, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

// Cancels a queued or running job (it stops after the batch in hand); audited.
export const POST = route<Params>(async (req, { id }) => json({ job: await cancelJob(await requirePrincipal(req), id) }));
