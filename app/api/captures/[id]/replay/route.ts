import { captureAccess } from "@/lib/endpoints/access";
import { idParams, json, route } from "@/lib/http/route";
import { captureSizedJsonCap } from "@/lib/http/read-json";
import { replayCapture, replaySchema } from "@/lib/replay/service";

// Replays the exact stored capture (optionally edited) from the server through the SSRF-guarded
// egress client; 201 with the stored attempt, 422 target_forbidden when the guard refuses.
export const POST = route(
  {
    auth: "required",
    params: idParams,
    before: ({ principal, params: { id } }) => captureAccess(principal, id, "capture.replay"),
    body: replaySchema,
    // Room for a whole capture body as base64 plus the edited headers.
    bodyOptions: () => ({ maxBytes: captureSizedJsonCap(), allowNul: true }),
  },
  async ({ principal, access, params: { id }, body, clientIp }) =>
    json(await replayCapture(principal, access, id, body, clientIp), { status: 201 }),
);
