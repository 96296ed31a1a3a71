import { createInvite, createInviteSchema, listInvites } from "@/lib/workspaces/workspaces";
import { idParams, json, route } from "@/lib/http/route";

export const GET = route({ auth: "required", params: idParams }, async ({ principal, params: { id } }) => ({
  invites: await listInvites(principal, id),
}));

export const POST = route({ auth: "required", params: idParams, body: createInviteSchema }, async ({ principal, params: { id }, body }) =>
  json(await createInvite(principal, id, body), { status: 201 }),
);
