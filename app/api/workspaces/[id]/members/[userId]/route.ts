import { changeRole, changeRoleSchema, removeMember } from "@/lib/workspaces/workspaces";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string; userId: string };

export const PATCH = route<Params>(async (req, { id, userId }) => {
  const principal = await requirePrincipal(req);
  const { role } = await readJson(req, changeRoleSchema);
  return json(await changeRole(principal, id, userId, role));
});

export const DELETE = route<Params>(async (req, { id, userId }) => {
  await removeMember(await requirePrincipal(req), id, userId);
  return new Response(null, { status: 204 });
});
