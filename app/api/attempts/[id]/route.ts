import { clientIp } from "@/lib/auth/client-ip";
import { json, requirePrincipal, route } from "@/lib/http/route";
import { getAttempt } from "@/lib/replay/attempt-reads";

type Params = { id: string };

// The full attempt, both bodies as base64; masked unless ?reveal=1 (member and up, audited).
export const GET = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const reveal = req.nextUrl.searchParams.get("reveal") === "1";
  return json(await getAttempt(principal, id, { reveal, ip: clientIp(req.headers) }));
});
