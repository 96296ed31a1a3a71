import { clientIp } from "@/lib/auth/client-ip";
import { json, requirePrincipal, route } from "@/lib/http/route";
import { captureSizedJsonCap, readJson } from "@/lib/http/read-json";
import { diffEditedRequest } from "@/lib/replay/attempt-diff";
import { diffRequestSchema } from "@/lib/replay/service";

type Params = { id: string };

// An edited request against the original capture (read-only: nothing is sent). Masked unless
// ?reveal=1 (member and up, audited); a caller who cannot reveal edits and diffs the masked capture.
export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const reveal = req.nextUrl.searchParams.get("reveal") === "1";
  const input = await readJson(req, diffRequestSchema, { maxBytes: captureSizedJsonCap(), allowNul: true });
  return json(await diffEditedRequest(principal, id, input, { reveal, ip: clientIp(req.headers) }));
});
