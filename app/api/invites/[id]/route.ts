import { revokeInvite } from "@/lib/workspaces/workspaces";
import { requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const DELETE = route<Params>(async (req, { id }) => {
  await revokeInvite(await requirePrincipal(req), id);
  return new Response(null, { status: 204 });
});
