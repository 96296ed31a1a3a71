import { z } from "zod";
import { idParams, json, route } from "@/lib/http/route";
import { addSecretFor, listSecretsFor } from "@/lib/signatures/api";

// Saved signing secrets: the list shows fingerprints only; the secret itself is never returned.
export const GET = route({ auth: "required", params: idParams }, ({ principal, params: { id } }) => listSecretsFor(principal, id));

// The body is checked by addSecretFor (after access), hence z.unknown() here.
export const POST = route(
  { auth: "required", params: idParams, body: z.unknown() },
  async ({ principal, params: { id }, body, clientIp }) => json(await addSecretFor(principal, id, body, clientIp), { status: 201 }),
);
