import { idParams, route } from "@/lib/http/route";
import { getAttempt } from "@/lib/replay/attempt-reads";

// The full attempt, both bodies as base64; masked unless ?reveal=1 (member and up, audited).
export const GET = route({ auth: "required", params: idParams }, async ({ req, principal, params: { id }, clientIp }) => {
  const reveal = req.nextUrl.searchParams.get("reveal") === "1";
  return getAttempt(principal, id, { reveal, ip: clientIp });
});
