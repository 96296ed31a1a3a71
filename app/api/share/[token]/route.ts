import { z } from "zod";
import { shareAccessOf } from "@/lib/capture/service/access";
import { shareView } from "@/lib/capture/service/views";
import { json, route } from "@/lib/http/route";
import { openShare, recordShareView } from "@/lib/sharing/share-links";

// The share's JSON form (also served at /s/<token> with Accept: application/json). No account is
// needed; everything is masked; each open is counted and audited.
export const GET = route({ auth: "none", params: z.object({ token: z.string() }) }, async ({ params: { token }, clientIp: ip }) => {
  const share = await openShare(token, ip);
  await recordShareView(share, ip);
  const root = await shareView(await shareAccessOf(share, ip));
  return json(root, { headers: { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" } });
});
