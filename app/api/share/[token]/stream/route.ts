import { z } from "zod";
import { maskLiveSummary } from "@/lib/capture/view";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { rulesForEndpoint } from "@/lib/redaction/policy";
import { openCaptureStream, parseLastEventId, SSE_HEADERS } from "@/lib/http/sse";
import { openShare } from "@/lib/sharing/share-links";

const REVALIDATE_MS = 5000;

export const dynamic = "force-dynamic";

// The live list of a shared endpoint. The stream ends when the link expires (the client's
// reconnect then gets the 404 of a dead link).
export const GET = route({ auth: "none", params: z.object({ token: z.string() }) }, async ({ req, params: { token }, clientIp }) => {
  const share = await openShare(token, clientIp);
  if (share.captureId) throw notFound("stream");
  const rules = await rulesForEndpoint(share.endpointId);
  const last = parseLastEventId(req.headers.get("last-event-id") ?? req.nextUrl.searchParams.get("lastEventId"));
  const abort = new AbortController();
  req.signal.addEventListener("abort", () => abort.abort(), { once: true });
  const timer = setTimeout(() => abort.abort(), Math.max(0, Math.min(share.expiresAt.getTime() - Date.now(), 2 ** 31 - 1)));
  // A revoked link stops streaming within REVALIDATE_MS.
  const revalidate = setInterval(() => void openShare(token, null).catch(() => abort.abort()), REVALIDATE_MS);
  abort.signal.addEventListener(
    "abort",
    () => {
      clearTimeout(timer);
      clearInterval(revalidate);
    },
    { once: true },
  );
  const stream = openCaptureStream(share.endpointId, last, abort.signal, (c) => maskLiveSummary(c, rules));
  return new Response(stream, { headers: SSE_HEADERS });
});
