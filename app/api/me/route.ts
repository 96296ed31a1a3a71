import { enabledOAuthProviders } from "@/lib/accounts/auth-options";
import { listWorkspaces } from "@/lib/workspaces/workspaces";
import { route } from "@/lib/http/route";
import { unclaimedEndpointCount } from "@/lib/accounts/users";

// Who the caller is: a signed-in user (with workspaces and roles), an API token, an anonymous
// visitor, or nobody; and which sign-in methods this server offers.
export const GET = route({ auth: "optional" }, async ({ principal }) => ({
  kind: principal?.kind ?? "none",
  user: principal?.userId ? { id: principal.userId, email: principal.email ?? null, name: principal.name ?? null } : null,
  workspaces: principal ? await listWorkspaces(principal) : [],
  oauthProviders: enabledOAuthProviders(),
  /** Signed in with endpoints still owned by this browser's anonymous cookie: POST /api/auth/claim. */
  anonymousEndpoints: principal?.kind === "user" && principal.ownerKey ? await unclaimedEndpointCount(principal.ownerKey) : 0,
}));
