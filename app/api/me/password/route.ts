import { changePassword, changePasswordSchema } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

// Changes the signed-in user's password; every other session of the account ends.
export const PUT = route(async (req) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, changePasswordSchema);
  return json(await changePassword(principal, input, clientIp(req.headers)));
});
