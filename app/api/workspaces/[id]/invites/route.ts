import { createInvite, createInviteSchema, listInvites } from "@/lib/workspaces/workspaces";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json({ invites: await listInvites(await requirePrincipal(req), id) }));

export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await createInvite(principal, id, await readJson(req, createInviteSchema)), { status: 201 });
});
