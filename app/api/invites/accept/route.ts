import { z } from "zod";
import { acceptInvite } from "@/lib/workspaces/workspaces";
import { route } from "@/lib/http/route";

const body = z.object({ token: z.string().min(1).max(200) }).strict();

// The token travels in the body, not the URL, so it stays out of logs.
export const POST = route({ auth: "required", body }, ({ principal, body: { token } }) => acceptInvite(principal, token));
