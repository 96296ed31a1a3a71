import { principalOrNew, OWNER_COOKIE } from "@/lib/auth/owner-cookie";
import { createEndpoint, createEndpointSchema, listEndpoints } from "@/lib/endpoints/endpoints";
import { json, optionalPrincipal, readJson, route } from "@/lib/http/route";

export const POST = route(async (req) => {
  const input = await readJson(req, createEndpointSchema);
  const { principal, setCookie } = principalOrNew(req.cookies.get(OWNER_COOKIE)?.value);
  const endpoint = await createEndpoint(principal, input);
  return json(endpoint, { status: 201, headers: setCookie ? { "Set-Cookie": setCookie } : {} });
});

export const GET = route(async (req) => {
  const principal = optionalPrincipal(req);
  return json({ endpoints: principal ? await listEndpoints(principal) : [] });
});
