import { revokeShareLink } from "@/lib/sharing/share-links";
import { idParams, route } from "@/lib/http/route";

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  await revokeShareLink(principal, id);
  return new Response(null, { status: 204 });
});
