import { invalid } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { diffAttempts } from "@/lib/replay/attempt-diff";

// GET /api/attempts/diff?a=<attempt id>&b=<attempt id>: b's response against a's (JSON by value,
// key order ignored; volatile headers such as Date ignored). Masked unless ?reveal=1.
export const GET = route({ auth: "required" }, async ({ req, principal, clientIp }) => {
  const params = req.nextUrl.searchParams;
  const a = params.get("a");
  const b = params.get("b");
  if (!a || !b) throw invalid("a and b: give two attempt ids.");
  return diffAttempts(principal, a, b, { reveal: params.get("reveal") === "1", ip: clientIp });
});
