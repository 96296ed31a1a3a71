import { z } from "zod";
import { route } from "@/lib/http/route";
import { deleteSecretFor } from "@/lib/signatures/api";

export const DELETE = route(
  { auth: "required", params: z.object({ id: z.string(), secretId: z.string() }) },
  async ({ principal, params: { id, secretId }, clientIp }) => {
    await deleteSecretFor(principal, id, secretId, clientIp);
    return new Response(null, { status: 204 });
  },
);
