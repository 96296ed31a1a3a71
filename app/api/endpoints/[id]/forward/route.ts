import { clientIp } from "@/lib/auth/client-ip";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";
import { deleteForward, forwardRuleSchema, getForward, putForward } from "@/lib/replay/forward-rules";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json(await getForward(await requirePrincipal(req), id)));

export const PUT = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await putForward(principal, id, await readJson(req, forwardRuleSchema), clientIp(req.headers)));
});

export const DELETE = route<Params>(async (req, { id }) => {
  await deleteForward(await requirePrincipal(req), id, clientIp(req.headers));
  return new Response(null, { status: 204 });
});
