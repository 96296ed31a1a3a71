import { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import { captureAccess } from "@/lib/endpoints/access";
import { json, requirePrincipal, route } from "@/lib/http/route";
import { readJson } from "@/lib/http/read-json";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { attemptView, listAttemptRows } from "@/lib/replay/attempts";
import { BROWSER_ATTEMPT_MAX_JSON, browserAttemptSchema, recordBrowserAttempt } from "@/lib/replay/browser-attempts";

type Params = { id: string };

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().min(1).max(64).optional(),
  kind: z.enum(["replay", "forward", "browser"]).optional(),
});

// Newest first, masked like the capture (GET /api/attempts/:id?reveal=1 for the values).
export const GET = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  const access = await captureAccess(principal, id, "capture.read");
  const q = listQuery.parse(Object.fromEntries([...req.nextUrl.searchParams].filter(([, v]) => v !== "")));
  const { rows, nextBefore } = await listAttemptRows(id, q);
  const rules = await rulesForEndpoint(access.endpointId);
  return json({ attempts: await Promise.all(rows.map((r) => attemptView(r, rules))), nextBefore });
});

// A replay the dashboard sent from the user's browser (a target the server must not reach, such
// as http://localhost:…), recorded as an attempt of kind "browser".
export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  await captureAccess(principal, id, "capture.replay");
  const input = await readJson(req, browserAttemptSchema, { maxBytes: BROWSER_ATTEMPT_MAX_JSON, allowNul: true });
  return json(await recordBrowserAttempt(principal, id, input, clientIp(req.headers)), { status: 201 });
});
