import { clientIp } from "@/lib/auth/client-ip";
import { config } from "@/lib/config";
import { captureAccess } from "@/lib/endpoints/access";
import { json, requirePrincipal, route } from "@/lib/http/route";
import { readJsonCapped } from "@/lib/replay/input";
import { replayCapture, replaySchema } from "@/lib/replay/service";

type Params = { id: string };

// Replays the exact stored capture (optionally edited) from the server through the SSRF-guarded
// egress client; 201 with the stored attempt, 422 target_forbidden when the guard refuses.
export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  await captureAccess(principal, id, "capture.replay");
  // Room for a whole capture body as base64 plus the edited headers.
  const input = await readJsonCapped(req, replaySchema, Math.ceil((config().MAX_BODY_BYTES * 4) / 3) + 1024 * 1024);
  return json(await replayCapture(principal, id, input, clientIp(req.headers)), { status: 201 });
});
