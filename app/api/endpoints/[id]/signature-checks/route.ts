import { idParams, json, route } from "@/lib/http/route";
import { checksFor, triggerChecks } from "@/lib/signatures/api";

// Stored statuses { checks: { captureId: status }, pending }; POST re-verifies every capture in the background.
export const GET = route({ auth: "required", params: idParams }, ({ principal, params: { id } }) => checksFor(principal, id));

export const POST = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) =>
  json(await triggerChecks(principal, id), { status: 202 }),
);
