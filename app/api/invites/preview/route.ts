import { z } from "zod";
import { previewInvite } from "@/lib/workspaces/workspaces";
import { route } from "@/lib/http/route";

const body = z.object({ token: z.string().min(1).max(200) }).strict();

export const POST = route({ auth: "none", body }, ({ body: { token } }) => previewInvite(token));
