import { json, readJson, requirePrincipal, route } from "@/lib/http/route";
import { createTarget, createTargetSchema, listTargets } from "@/lib/replay/targets";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json({ targets: await listTargets(await requirePrincipal(req), id) }));

export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await createTarget(principal, id, await readJson(req, createTargetSchema)), { status: 201 });
});
