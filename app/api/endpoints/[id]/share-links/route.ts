import { createShareLink, createShareLinkSchema, listShareLinks } from "@/lib/sharing/share-links";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json({ shareLinks: await listShareLinks(await requirePrincipal(req), id) }));

export const POST = route<Params>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json(await createShareLink(principal, id, await readJson(req, createShareLinkSchema)), { status: 201 });
});
