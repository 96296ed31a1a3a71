// The endpoint the command line names (a URL or an id), resolved to the endpoint id the relay follows.
import { isShareToken, ListenError } from "./access";

export interface EndpointRef {
  server: string;
  endpointId?: string;
  /** From a capture URL: the token or alias, looked up through the API. */
  captureKey?: string;
  /** From a share URL (…/s/hs_shr_…): the share token. */
  shareToken?: string;
}

/** An endpoint URL (dashboard, API or capture URL) or a bare id → where and what to follow. */
export function parseEndpointRef(ref: string, server: string | undefined, env: Record<string, string | undefined>): EndpointRef {
  if (/^https?:\/\//i.test(ref)) {
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      throw new ListenError(`${ref} is not a valid URL.`);
    }
    const base = (server ?? url.origin).replace(/\/+$/, "");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const after = (...prefix: string[]) => (prefix.every((p, i) => parts[i] === p) ? parts[prefix.length] : undefined);
    const id = after("e") ?? after("api", "endpoints");
    if (id) return { server: base, endpointId: id };
    const key = after("in");
    if (key) return { server: base, captureKey: key };
    const share = after("s");
    if (share && isShareToken(share)) return { server: base, shareToken: share };
    throw new ListenError(`${ref} is not an endpoint URL (…/e/<id>, …/in/<token> or …/s/<share token>).`);
  }
  if (!ref || /[/?#\s]/.test(ref)) throw new ListenError(`${JSON.stringify(ref)} is not an endpoint id.`);
  return { server: (server ?? env.HOOKSCOPE_SERVER ?? "http://localhost:3000").replace(/\/+$/, ""), endpointId: ref };
}

/** A capture URL names a token or alias: find the endpoint among those the token can see. */
export async function resolveCaptureKey(ref: EndpointRef, token: string | undefined, doFetch: typeof fetch = fetch): Promise<string> {
  if (ref.endpointId) return ref.endpointId;
  // A share link names its endpoint itself; the id is only a label then.
  if (isShareToken(token)) return ref.shareToken ?? "shared";
  const res = await doFetch(`${ref.server}/api/endpoints`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (res.status === 401 || res.status === 403)
    throw new ListenError(`Hookscope refused the token (${res.status}); check --token or HOOKSCOPE_TOKEN.`);
  if (!res.ok) throw new ListenError(`Could not list endpoints on ${ref.server} (${res.status}); pass the endpoint id (ep_…) instead.`);
  const { endpoints } = (await res.json()) as { endpoints?: { id: string; token?: string; alias?: string | null }[] };
  const hit = endpoints?.find((e) => e.token === ref.captureKey || (e.alias && e.alias === ref.captureKey));
  if (!hit) throw new ListenError(`No endpoint with that capture URL is visible to this token; pass the endpoint id (ep_…) instead.`);
  return hit.id;
}
