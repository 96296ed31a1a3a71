import { signOutEverywhere } from "@/lib/accounts/users";
import { clearSessionCookies } from "@/lib/auth/session";
import { json, route } from "@/lib/http/route";

// "Sign out everywhere": every session of the signed-in user ends on the server (copies of the
// cookie included, and the live streams opened with them within seconds); this browser's cookie
// is dropped too. API tokens are managed on their own.
export const DELETE = route({ auth: "required" }, async ({ req, principal, clientIp }) => {
  const result = await signOutEverywhere(principal, clientIp);
  const headers = new Headers();
  for (const c of clearSessionCookies(req.cookies.getAll().map((c) => c.name))) headers.append("Set-Cookie", c);
  return json(result, { headers });
});
