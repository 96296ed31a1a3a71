import { listMembers } from "@/lib/workspaces/workspaces";
import { json, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json({ members: await listMembers(await requirePrincipal(req), id) }));
