import { revokeApiToken } from "@/lib/accounts/api-tokens";
import { idParams, route } from "@/lib/http/route";

export const DELETE = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => {
  await revokeApiToken(principal, id);
  return new Response(null, { status: 204 });
});
