import { json, requirePrincipal, route } from "@/lib/http/route";
import { checksFor, triggerChecks } from "@/lib/signatures/api";

type Params = { id: string };

// Stored statuses { checks: { captureId: status }, pending }; POST re-verifies every capture in the background.
export const GET = route<Params>(async (req, { id }) => json(await checksFor(await requirePrincipal(req), id)));

export const POST = route<Params>(async (req, { id }) => json(await triggerChecks(await requirePrincipal(req), id), { status: 202 }));
