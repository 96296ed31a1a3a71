import { revokeApiToken } from "@/lib/accounts/api-tokens";
import { requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const DELETE = route<Params>(async (req, { id }) => {
  await revokeApiToken(await requirePrincipal(req), id);
  return new Response(null, { status: 204 });
});
