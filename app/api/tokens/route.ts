import { z } from "zod";
import { createApiToken, createTokenSchema, listApiTokens, revokeApiToken } from "@/lib/accounts/api-tokens";
import { json, route } from "@/lib/http/route";

export const GET = route({ auth: "required" }, async ({ principal }) => ({ tokens: await listApiTokens(principal) }));

// The token itself is in this response only.
export const POST = route({ auth: "required", body: createTokenSchema }, async ({ principal, body }) =>
  json(await createApiToken(principal, body), { status: 201 }),
);

const revokeBody = z.object({ id: z.string().min(1).max(64) }).strict();

/** DELETE /api/tokens { id } (same as DELETE /api/tokens/:id). */
export const DELETE = route({ auth: "required", body: revokeBody }, async ({ principal, body: { id } }) => {
  await revokeApiToken(principal, id);
  return new Response(null, { status: 204 });
});
