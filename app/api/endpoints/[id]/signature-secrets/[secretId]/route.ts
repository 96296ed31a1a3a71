import { clientIp } from "@/lib/auth/client-ip";
import { requirePrincipal, route } from "@/lib/http/route";
import { deleteSecretFor } from "@/lib/signatures/api";

type Params = { id: string; secretId: string };

export const DELETE = route<Params>(async (req, { id, secretId }) => {
  await deleteSecretFor(await requirePrincipal(req), id, secretId, clientIp(req.headers));
  return new Response(null, { status: 204 });
});
