import { createWorkspace, createWorkspaceSchema, listWorkspaces } from "@/lib/workspaces/workspaces";
import { json, route } from "@/lib/http/route";

export const GET = route({ auth: "required" }, async ({ principal }) => ({ workspaces: await listWorkspaces(principal) }));

export const POST = route({ auth: "required", body: createWorkspaceSchema }, async ({ principal, body }) =>
  json(await createWorkspace(principal, body), { status: 201 }),
);
