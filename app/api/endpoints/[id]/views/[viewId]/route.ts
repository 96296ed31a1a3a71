import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteView, updateView, updateViewSchema } from "@/lib/search/views";

const params = z.object({ id: z.string(), viewId: z.string() });

export const PATCH = route(
  { auth: "required", params, body: updateViewSchema },
  async ({ principal, params: { id, viewId }, body, clientIp }) => updateView(principal, { kind: "endpoint", id }, viewId, body, clientIp),
);

export const DELETE = route({ auth: "required", params }, async ({ principal, params: { id, viewId }, clientIp }) => {
  await deleteView(principal, { kind: "endpoint", id }, viewId, clientIp);
  return new Response(null, { status: 204 });
});
