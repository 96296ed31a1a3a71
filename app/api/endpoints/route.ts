import { z } from "zod";
import { ownerKeyOrNew, OWNER_COOKIE } from "@/lib/auth/owner-cookie";
import { anonymousPrincipal } from "@/lib/auth/principal";
import { personalWorkspaceId } from "@/lib/accounts/users";
import { createEndpoint, createEndpointInputSchema, listEndpoints } from "@/lib/endpoints/endpoints";
import { json, route } from "@/lib/http/route";
import { assertMayCreateEndpoint } from "@/lib/endpoints/create-throttle";

// Signed in (or with an API token): the endpoint goes into a workspace. Otherwise it is anonymous,
// owned by the hs_owner cookie (set here when missing), and expires after ANON_ENDPOINT_TTL.
export const POST = route(
  {
    auth: "optional",
    // The per-address throttle answers 429 before a body is read.
    before: ({ clientIp }) => assertMayCreateEndpoint(clientIp),
    body: createEndpointInputSchema,
  },
  async ({ req, principal, body }) => {
    if (principal && principal.kind !== "anonymous") {
      const fallback = principal.kind === "user" ? await personalWorkspaceId(principal.userId!) : undefined;
      return json(await createEndpoint(principal, body, fallback), { status: 201 });
    }
    const { ownerKey, setCookie } = ownerKeyOrNew(req.cookies.get(OWNER_COOKIE)?.value);
    const endpoint = await createEndpoint(anonymousPrincipal(ownerKey), body);
    return json(endpoint, { status: 201, headers: setCookie ? { "Set-Cookie": setCookie } : {} });
  },
);

const listQuery = z.object({ workspaceId: z.string().min(1).max(64).optional() });

// Nobody (no token, session or cookie) has no endpoints, whatever the query says.
export const GET = route(
  { auth: "optional", before: ({ principal }) => (principal ? principal : json({ endpoints: [] })), query: listQuery },
  async ({ access: principal, query: { workspaceId } }) => ({ endpoints: await listEndpoints(principal, { workspaceId }) }),
);
