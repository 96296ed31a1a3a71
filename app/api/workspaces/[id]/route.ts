import { deleteWorkspace, getWorkspace, updateWorkspace, updateWorkspaceSchema } from "@/lib/workspaces/workspaces";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json(await getWorkspace(await requirePrincipal(req), id)));

export const PATCH = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await updateWorkspace(principal, id, await readJson(req, updateWorkspaceSchema)));
});

export const DELETE = route<Params>(async (req, { id }) => {
  await deleteWorkspace(await requirePrincipal(req), id);
  return new Response(null, { status: 204 });
});
