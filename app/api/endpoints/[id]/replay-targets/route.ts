import { idParams, json, route } from "@/lib/http/route";
import { createTarget, createTargetSchema, listTargets } from "@/lib/replay/targets";

export const GET = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => ({
  targets: await listTargets(principal, id),
}));

export const POST = route({ auth: "required", params: idParams, body: createTargetSchema }, async ({ principal, params: { id }, body }) =>
  json(await createTarget(principal, id, body), { status: 201 }),
);
