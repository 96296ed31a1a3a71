import { z } from "zod";
import { acceptInvite } from "@/lib/workspaces/workspaces";
import { json, readJson, requirePrincipal, route } from "@/lib/http/route";

const body = z.object({ token: z.string().min(1).max(200) }).strict();

// The token travels in the body, not the URL, so it stays out of logs.
export const POST = route(async (req) => {
  const principal = await requirePrincipal(req);
  const { token } = await readJson(req, body);
  return json(await acceptInvite(principal, token));
});
