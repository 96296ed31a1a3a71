import { clientIp } from "@/lib/auth/client-ip";
import { json, route } from "@/lib/http/route";
import { openShare, recordShareView } from "@/lib/sharing/share-links";
import { shareRoot } from "@/lib/sharing/share-view";

type Params = { token: string };

// The share's JSON form (also served at /s/<token> with Accept: application/json). No account is
// needed; everything is masked; each open is counted and audited.
export const GET = route<Params>(async (req, { token }) => {
  const ip = clientIp(req.headers);
  const share = await openShare(token, ip);
  await recordShareView(share, ip);
  return json(await shareRoot(share), { headers: { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" } });
});
