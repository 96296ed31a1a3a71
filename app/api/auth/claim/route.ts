import { claimAnonymousEndpoints } from "@/lib/accounts/users";
import { clearOwnerCookieHeader } from "@/lib/auth/owner-cookie";
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http/route";

// Moves the endpoints made anonymously in this browser into the signed-in user's personal
// workspace. Password sign-in and sign-up do this by themselves; after an OAuth sign-in the
// dashboard calls it when /api/me reports anonymousEndpoints > 0.
export const POST = route({ auth: "required" }, async ({ principal }) => {
  if (principal.kind !== "user" || !principal.userId) throw new AppError("session_required", "Sign in to claim endpoints.");
  const claimed = principal.ownerKey ? await claimAnonymousEndpoints(principal.userId, principal.ownerKey) : 0;
  return json({ claimed }, { headers: principal.ownerKey ? { "Set-Cookie": clearOwnerCookieHeader() } : {} });
});
