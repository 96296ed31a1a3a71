import { clientIp } from "@/lib/auth/client-ip";
import { captureAccess } from "@/lib/endpoints/access";
import { json, requirePrincipal, route } from "@/lib/http/route";
import { captureSizedJsonCap, readJson } from "@/lib/http/read-json";
import { replayCapture, replaySchema } from "@/lib/replay/service";

type Params = { id: string };

// Replays the exact stored capture (optionally edited) from the server through the SSRF-guarded
// egress client; 201 with the stored attempt, 422 target_forbidden when the guard refuses.
export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  await captureAccess(principal, id, "capture.replay");
  // Room for a whole capture body as base64 plus the edited headers.
  const input = await readJson(req, replaySchema, { maxBytes: captureSizedJsonCap(), allowNul: true });
  return json(await replayCapture(principal, id, input, clientIp(req.headers)), { status: 201 });
});
