import { deleteCapture, getCapture } from "@/lib/capture/store";
import { json, requirePrincipal, route } from "@/lib/http/route";

type Params = { id: string };

export const GET = route<Params>(async (req, { id }) => json(await getCapture(requirePrincipal(req), id)));

export const DELETE = route<Params>(async (req, { id }) => {
  await deleteCapture(requirePrincipal(req), id);
  return new Response(null, { status: 204 });
});
