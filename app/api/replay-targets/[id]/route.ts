import { idParams, route } from "@/lib/http/route";
import { deleteTarget } from "@/lib/replay/targets";

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  await deleteTarget(principal, id);
  return new Response(null, { status: 204 });
});
