import { idParams, route } from "@/lib/http/route";
import { deleteForward, forwardRuleSchema, getForward, putForward } from "@/lib/replay/forward-rules";

export const GET = route({ auth: "required", params: idParams }, ({ principal, params: { id } }) => getForward(principal, id));

export const PUT = route({ auth: "required", params: idParams, body: forwardRuleSchema }, ({ principal, params: { id }, body, clientIp }) =>
  putForward(principal, id, body, clientIp),
);

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id }, clientIp }) => {
  await deleteForward(principal, id, clientIp);
  return new Response(null, { status: 204 });
});
