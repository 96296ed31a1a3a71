import { deleteEndpoint, getEndpoint, updateEndpoint, updateEndpointSchema } from "@/lib/endpoints/endpoints";
import { idParams, json, route } from "@/lib/http/route";

export const GET = route({ auth: "required", params: idParams }, ({ principal, params: { id } }) => getEndpoint(principal, id));

export const PATCH = route({ auth: "required", params: idParams, body: updateEndpointSchema }, ({ principal, params: { id }, body }) =>
  updateEndpoint(principal, id, body),
);

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  // A large endpoint is hidden at once and purged by a job: 202 with the job to follow.
  const { job } = await deleteEndpoint(principal, id);
  return job ? json({ job }, { status: 202 }) : new Response(null, { status: 204 });
});
