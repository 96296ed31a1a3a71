import { z } from "zod";
import { createApiToken, createTokenSchema, listApiTokens, revokeApiToken } from "@/lib/accounts/api-tokens";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

export const GET = route(async (req) => json({ tokens: await listApiTokens(await requirePrincipal(req)) }));

// The token itself is in this response only.
export const POST = route(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await createApiToken(principal, await readJson(req, createTokenSchema)), { status: 201 });
});

const revokeBody = z.object({ id: z.string().min(1).max(64) }).strict();

/** DELETE /api/tokens { id } (same as DELETE /api/tokens/:id). */
export const DELETE = route(async (req) => {
  const principal = await requirePrincipal(req);
  const { id } = await readJson(req, revokeBody);
  await revokeApiToken(principal, id);
  return new Response(null, { status: 204 });
});
