import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { openShare, recordShareView } from "@/lib/sharing/share-links";
import { shareRoot } from "@/lib/sharing/share-view";

// The share's JSON form (also served at /s/<token> with Accept: application/json). No account is
// needed; everything is masked; each open is counted and audited.
export const GET = route({ auth: "none", params: z.object({ token: z.string() }) }, async ({ params: { token }, clientIp: ip }) => {
  const share = await openShare(token, ip);
  await recordShareView(share, ip);
  return json(await shareRoot(share), { headers: { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" } });
});
