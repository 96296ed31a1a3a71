import { signUp, signUpSchema } from "@/lib/accounts/users";
import { clearOwnerCookieHeader, decodeOwnerCookie, OWNER_COOKIE } from "@/lib/auth/owner-cookie";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http/route";

// Creates the account, its personal workspace, and claims the visitor's anonymous endpoints.
// Signing in is then a normal credentials sign-in through next-auth.
export const POST = route(
  {
    auth: "none",
    body: signUpSchema,
    // A server with sign-up off says so before it reads (or refuses) a body.
    before: () => {
      if (!config().SIGNUP_ENABLED) throw new AppError("signup_disabled", "Sign-up is disabled on this server; ask for an invite.");
    },
  },
  async ({ req, body, clientIp }) => {
    const anonymous = decodeOwnerCookie(req.cookies.get(OWNER_COOKIE)?.value);
    const user = await signUp(body, { ownerKey: anonymous?.ownerKey, ip: clientIp });
    return json(user, { status: 201, headers: anonymous ? { "Set-Cookie": clearOwnerCookieHeader() } : {} });
  },
);
