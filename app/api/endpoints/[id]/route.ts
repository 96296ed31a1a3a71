import { deleteEndpoint, getEndpoint, updateEndpoint, updateEndpointSchema } from "@/lib/endpoints/endpoints";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json(await getEndpoint(await requirePrincipal(req), id)));

export const PATCH = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const patch = await readJson(req, updateEndpointSchema);
  return json(await updateEndpoint(principal, id, patch));
});

export const DELETE = route<Params>(async (req, { id }) => {
  // A large endpoint is hidden at once and purged by a job: 202 with the job to follow.
  const { job } = await deleteEndpoint(await requirePrincipal(req), id);
  return job ? json({ job }, { status: 202 }) : new Response(null, { status: 204 });
});
