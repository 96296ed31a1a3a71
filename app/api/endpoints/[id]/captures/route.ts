import { z } from "zod";
import { assertEndpointAccess } from "@/lib/endpoints/endpoints";
import { clearCaptures, listCaptures } from "@/lib/capture/store";
import { captureFilterSchema } from "@/lib/capture/filter";
import { json, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .extend(captureFilterSchema.shape);

export const GET = route<Params>(async (req, { id }) => {
  await assertEndpointAccess(requirePrincipal(req), id);
  const query = pageQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  return json(await listCaptures(id, query));
});

export const DELETE = route<Params>(async (req, { id }) => {
  await assertEndpointAccess(requirePrincipal(req), id);
  return json({ deleted: await clearCaptures(id) });
});
