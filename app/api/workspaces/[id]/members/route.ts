import { listMembers } from "@/lib/workspaces/workspaces";
import { idParams, route } from "@/lib/http/route";

export const GET = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => ({
  members: await listMembers(principal, id),
}));
