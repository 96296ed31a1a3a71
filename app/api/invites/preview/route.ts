import { z } from "zod";
import { previewInvite } from "@/lib/workspaces/workspaces";
import { json, readJson, route } from "@/lib/http/route";

const body = z.object({ token: z.string().min(1).max(200) }).strict();

export const POST = route(async (req) => {
  const { token } = await readJson(req, body);
  return json(await previewInvite(token));
});
