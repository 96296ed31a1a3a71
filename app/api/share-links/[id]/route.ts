import { revokeShareLink } from "@/lib/sharing/share-links";
import { requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const DELETE = route<Params>(async (req, { id }) => {
  await revokeShareLink(await requirePrincipal(req), id);
  return new Response(null, { status: 204 });
});
