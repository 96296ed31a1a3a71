import { createWorkspace, createWorkspaceSchema, listWorkspaces } from "@/lib/workspaces/workspaces";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

export const GET = route(async (req) => json({ workspaces: await listWorkspaces(await requirePrincipal(req)) }));

export const POST = route(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await createWorkspace(principal, await readJson(req, createWorkspaceSchema)), { status: 201 });
});
