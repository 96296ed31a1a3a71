import { deleteEndpoint, getEndpoint, updateEndpoint, updateEndpointSchema } from "@/lib/endpoints/endpoints";
import { idParams, route } from "@/lib/http/route";

export const GET = route({ auth: "required", params: idParams }, ({ principal, params: { id } }) => getEndpoint(principal, id));

export const PATCH = route({ auth: "required", params: idParams, body: updateEndpointSchema }, ({ principal, params: { id }, body }) =>
  updateEndpoint(principal, id, body),
);

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  await deleteEndpoint(principal, id);
  return new Response(null, { status: 204 });
});
