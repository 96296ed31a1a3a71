import { deleteWorkspace, getWorkspace, updateWorkspace, updateWorkspaceSchema } from "@/lib/workspaces/workspaces";
import { idParams, route } from "@/lib/http/route";

export const GET = route({ auth: "required", params: idParams }, ({ principal, params: { id } }) => getWorkspace(principal, id));

export const PATCH = route({ auth: "required", params: idParams, body: updateWorkspaceSchema }, ({ principal, params: { id }, body }) =>
  updateWorkspace(principal, id, body),
);

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  await deleteWorkspace(principal, id);
  return new Response(null, { status: 204 });
});
