import { createShareLink, createShareLinkSchema, listShareLinks } from "@/lib/sharing/share-links";
import { idParams, json, route } from "@/lib/http/route";

export const GET = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => ({
  shareLinks: await listShareLinks(principal, id),
}));

export const POST = route(
  { auth: "required", params: idParams, body: createShareLinkSchema },
  async ({ principal, params: { id }, body }) => json(await createShareLink(principal, id, body), { status: 201 }),
);
