import { z } from "zod";
import { captureAccess } from "@/lib/endpoints/access";
import { idParams, json, route } from "@/lib/http/route";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { attemptView, listAttemptRows } from "@/lib/replay/attempts";
import { BROWSER_ATTEMPT_MAX_JSON, browserAttemptSchema, recordBrowserAttempt } from "@/lib/replay/browser-attempts";

// Empty values (?before=) count as absent.
const listQuery = z.preprocess(
  (q) => Object.fromEntries(Object.entries(q as Record<string, string>).filter(([, v]) => v !== "")),
  z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.string().min(1).max(64).optional(),
    kind: z.enum(["replay", "forward", "browser"]).optional(),
  }),
);

// Newest first, masked like the capture (GET /api/attempts/:id?reveal=1 for the values).
export const GET = route(
  {
    auth: "required",
    params: idParams,
    query: listQuery,
    before: ({ principal, params: { id } }) => captureAccess(principal, id, "capture.read"),
  },
  async ({ params: { id }, query, access }) => {
    const { rows, nextBefore } = await listAttemptRows(id, query);
    const rules = await rulesForEndpoint(access.endpointId);
    return { attempts: await Promise.all(rows.map((r) => attemptView(r, rules))), nextBefore };
  },
);

// A replay the dashboard sent from the user's browser (a target the server must not reach, such
// as http://localhost:…), recorded as an attempt of kind "browser".
export const POST = route(
  {
    auth: "required",
    params: idParams,
    before: ({ principal, params: { id } }) => captureAccess(principal, id, "capture.replay"),
    body: browserAttemptSchema,
    bodyOptions: { maxBytes: BROWSER_ATTEMPT_MAX_JSON, allowNul: true },
  },
  async ({ principal, access, params: { id }, body, clientIp }) =>
    json(await recordBrowserAttempt(principal, access, id, body, clientIp), { status: 201 }),
);
