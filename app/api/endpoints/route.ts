import { z } from "zod";
import { ownerKeyOrNew, OWNER_COOKIE } from "@/lib/auth/owner-cookie";
import { anonymousPrincipal } from "@/lib/auth/principal";
import { personalWorkspaceId } from "@/lib/accounts/users";
import { createEndpoint, createEndpointInputSchema, listEndpoints } from "@/lib/endpoints/endpoints";
import { json, optionalPrincipal, readJson, route } from "@/lib/http/route";
import { assertMayCreateEndpoint } from "@/lib/endpoints/create-throttle";
import { clientIp } from "@/lib/auth/client-ip";

// Signed in (or with an API token): the endpoint goes into a workspace. Otherwise it is anonymous,
// owned by the hs_owner cookie (set here when missing), and expires after ANON_ENDPOINT_TTL.
export const POST = route(async (req) => {
  assertMayCreateEndpoint(clientIp(req.headers));
  const input = await readJson(req, createEndpointInputSchema);
  const principal = await optionalPrincipal(req);
  if (principal && principal.kind !== "anonymous") {
    const fallback = principal.kind === "user" ? await personalWorkspaceId(principal.userId!) : undefined;
    return json(await createEndpoint(principal, input, fallback), { status: 201 });
  }
  const { ownerKey, setCookie } = ownerKeyOrNew(req.cookies.get(OWNER_COOKIE)?.value);
  const endpoint = await createEndpoint(anonymousPrincipal(ownerKey), input);
  return json(endpoint, { status: 201, headers: setCookie ? { "Set-Cookie": setCookie } : {} });
});

const listQuery = z.object({ workspaceId: z.string().min(1).max(64).optional() });

export const GET = route(async (req) => {
  const principal = await optionalPrincipal(req);
  if (!principal) return json({ endpoints: [] });
  const { workspaceId } = listQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  return json({ endpoints: await listEndpoints(principal, { workspaceId }) });
});
