// Where the relay reads (the endpoint API or, for a share token, the masked share API) and the error it stops on.
import type { CaptureDetail } from "../model/capture";

/** Share tokens (`hs_shr_…`) read through the share routes, whose views are masked. */
export function isShareToken(token: string | undefined): token is string {
  return typeof token === "string" && token.startsWith("hs_shr_");
}

/** Where the CLI reads: the endpoint API with an API token, the share API with a share token. */
export function relayPaths(endpointId: string, token: string | undefined) {
  if (isShareToken(token)) {
    const base = `/api/share/${encodeURIComponent(token)}`;
    return {
      share: true,
      stream: `${base}/stream`,
      detail: (id: string) => `${base}/captures/${encodeURIComponent(id)}`,
      body: (id: string) => `${base}/captures/${encodeURIComponent(id)}/body`,
    };
  }
  return {
    share: false,
    stream: `/api/endpoints/${encodeURIComponent(endpointId)}/stream`,
    detail: (id: string) => `/api/captures/${encodeURIComponent(id)}?reveal=1`,
    body: (id: string) => `/api/captures/${encodeURIComponent(id)}/body?reveal=1`,
  };
}

/**
 * A masked (share) view's headers made sendable: the masked ones are left out (their values are
 * placeholders), and Content-Encoding goes when the server served the body decoded.
 */
export function sendableSharedHeaders(
  detail: CaptureDetail & { masked?: { headers?: { index: number }[] } | null },
  bodyDecoded: boolean,
): { headers: CaptureDetail["headers"]; dropped: number } {
  const maskedAt = new Set((detail.masked?.headers ?? []).map((m) => m.index));
  const headers = detail.headers.filter(([name], i) => !maskedAt.has(i) && !(bodyDecoded && name.toLowerCase() === "content-encoding"));
  return { headers, dropped: maskedAt.size };
}

/** A failure retrying cannot fix (bad token, unknown endpoint, bad arguments): the CLI exits 1. */
export class ListenError extends Error {}
