import { idParams, json, route } from "@/lib/http/route";
import { createView, createViewSchema, listViews } from "@/lib/search/views";

export const GET = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => ({
  views: await listViews(principal, { kind: "workspace", id }),
}));

export const POST = route(
  { auth: "required", params: idParams, body: createViewSchema },
  async ({ principal, params: { id }, body, clientIp }) =>
    json(await createView(principal, { kind: "workspace", id }, body, clientIp), { status: 201 }),
);
