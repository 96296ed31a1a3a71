import { requirePrincipal, route } from "@/lib/http/route";
import { deleteTarget } from "@/lib/replay/targets";

type Params = { id: string };

export const DELETE = route<Params>(async (req, { id }) => {
  await deleteTarget(await requirePrincipal(req), id);
  return new Response(null, { status: 204 });
});
