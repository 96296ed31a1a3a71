import { z } from "zod";
import { changeRole, changeRoleSchema, removeMember } from "@/lib/workspaces/workspaces";
import { route } from "@/lib/http/route";

const memberParams = z.object({ id: z.string(), userId: z.string() });

export const PATCH = route(
  { auth: "required", params: memberParams, body: changeRoleSchema },
  ({ principal, params: { id, userId }, body }) => changeRole(principal, id, userId, body.role),
);

export const DELETE = route({ auth: "required", params: memberParams }, async ({ principal, params: { id, userId } }) => {
  await removeMember(principal, id, userId);
  return new Response(null, { status: 204 });
});
