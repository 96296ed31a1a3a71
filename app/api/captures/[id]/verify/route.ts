import { clientIp } from "@/lib/auth/client-ip";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";
import { verifyCaptureFor, verifySchema } from "@/lib/signatures/api";

type Params = { id: string };

// Verifies the stored bytes against a one-off secret (never stored or logged), one saved secret, or every saved
// secret of the provider. Signature values are shortened unless { reveal: true } (member and up, audited). A caller
// who cannot reveal verifies the masked capture instead (lib/signatures/api.ts).
export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const input = await readJson(req, verifySchema);
  return json(await verifyCaptureFor(principal, id, input, clientIp(req.headers)));
});
