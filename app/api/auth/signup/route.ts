import { signUp, signUpSchema } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { clearOwnerCookieHeader, decodeOwnerCookie, OWNER_COOKIE } from "@/lib/auth/owner-cookie";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { json, readJson, route } from "@/lib/http/route";

// Creates the account, its personal workspace, and claims the visitor's anonymous endpoints.
// Signing in is then a normal credentials sign-in through next-auth.
export const POST = route(async (req) => {
  if (!config().SIGNUP_ENABLED) throw new AppError("signup_disabled", "Sign-up is disabled on this server; ask for an invite.");
  const input = await readJson(req, signUpSchema);
  const anonymous = decodeOwnerCookie(req.cookies.get(OWNER_COOKIE)?.value);
  const user = await signUp(input, { ownerKey: anonymous?.ownerKey, ip: clientIp(req.headers) });
  return json(user, { status: 201, headers: anonymous ? { "Set-Cookie": clearOwnerCookieHeader() } : {} });
});
