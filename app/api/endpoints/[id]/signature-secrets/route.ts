import { clientIp } from "@/lib/auth/client-ip";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";
import { addSecretFor, listSecretsFor } from "@/lib/signatures/api";
import { z } from "zod";

type Params = { id: string };

// Saved signing secrets: the list shows fingerprints only; the secret itself is never returned.
export const GET = route<Params>(async (req, { id }) => json(await listSecretsFor(await requirePrincipal(req), id)));

export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const body = await readJson(req, z.unknown());
  return json(await addSecretFor(principal, id, body, clientIp(req.headers)), { status: 201 });
});
