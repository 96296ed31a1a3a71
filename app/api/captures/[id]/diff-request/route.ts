import { idParams, route } from "@/lib/http/route";
import { captureSizedJsonCap } from "@/lib/http/read-json";
import { diffEditedRequest } from "@/lib/replay/attempt-diff";
import { diffRequestSchema } from "@/lib/replay/service";

// An edited request against the original capture (read-only: nothing is sent). Masked unless
// ?reveal=1 (member and up, audited); a caller who cannot reveal edits and diffs the masked capture.
export const POST = route(
  { auth: "required", params: idParams, body: diffRequestSchema, bodyOptions: () => ({ maxBytes: captureSizedJsonCap(), allowNul: true }) },
  async ({ req, principal, params: { id }, body, clientIp }) => {
    const reveal = req.nextUrl.searchParams.get("reveal") === "1";
    return diffEditedRequest(principal, id, body, { reveal, ip: clientIp });
  },
);
