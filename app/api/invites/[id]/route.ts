import { revokeInvite } from "@/lib/workspaces/workspaces";
import { idParams, route } from "@/lib/http/route";

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  await revokeInvite(principal, id);
  return new Response(null, { status: 204 });
});
