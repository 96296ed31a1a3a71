// Browser-side API access for the inspector. API errors ({ error: { code, message } }) become
// ApiError with the server's readable message. The same inspector shows an endpoint to its
// workspace (the dashboard, /api/...) and to a share link (/api/share/<token>/...): the URL
// builders live in an InspectorApi object so the components never spell an address themselves.
import type { CaptureDetail, CaptureSummary } from "@/lib/model/capture";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import type { BodyMaskEntry, HeaderMaskEntry, QueryMaskEntry } from "@/lib/redaction/mask";
import type { RedactionRule } from "@/lib/redaction/rules";
import type { CaptureView } from "@/lib/capture/view";
import type { CapturePage } from "@/lib/capture/store";
import type { ShareLinkView } from "@/lib/sharing/share-links";
import { ApiError, apiFailure as failure, fetchJson, sendJson } from "../api-client";

export type { CaptureDetail, CaptureSummary, EndpointView, BodyMaskEntry, HeaderMaskEntry, QueryMaskEntry, RedactionRule };

export type { CapturePage };

/** GET /api/captures/:id (and the share form): masked unless revealed. */
export type { CaptureView };
/** A share link as GET /api/endpoints/:id/share-links lists it. */
export type ShareLink = ShareLinkView;

export { ApiError, fetchJson };

/** A body as the server served it, with what it says about the bytes. */
export interface ServedBody {
  bytes: Uint8Array;
  /** Something in the body was masked (X-Hookscope-Masked: 1). */
  masked: boolean;
  /**
   * The server already undid the Content-Encoding (X-Hookscope-Decode): the bytes are the decoded
   * form and must not be decompressed again.
   */
  decoded: "decoded" | "truncated" | null;
  /** Why a masked view of a compressed body that could not be decoded is empty (X-Hookscope-Withheld). */
  withheld: string | null;
  /** The server's name for these bytes (Content-Disposition): the download and "copy as" use it. */
  fileName: string | null;
}

export async function fetchBody(url: string): Promise<ServedBody> {
  const res = await fetch(url);
  if (!res.ok) throw await failure(res);
  const decode = res.headers.get("x-hookscope-decode");
  return {
    bytes: new Uint8Array(await res.arrayBuffer()),
    masked: res.headers.get("x-hookscope-masked") === "1",
    decoded: decode === "decoded" || decode === "truncated" ? decode : null,
    withheld: res.headers.get("x-hookscope-withheld"),
    fileName: /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? null,
  };
}

export async function deleteCaptureRequest(id: string): Promise<void> {
  try {
    await sendJson("DELETE", `/api/captures/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
}

export async function clearCapturesRequest(endpointId: string): Promise<number> {
  return (await sendJson<{ deleted: number }>("DELETE", `/api/endpoints/${encodeURIComponent(endpointId)}/captures`)).deleted;
}

export interface EndpointPatch {
  name?: string;
  alias?: string | null;
  response?: Partial<EndpointView["response"]>;
  redactionRules?: RedactionRule[];
  redactAtIngest?: boolean;
}

export async function patchEndpoint(endpointId: string, patch: EndpointPatch): Promise<EndpointView> {
  return sendJson<EndpointView>("PATCH", `/api/endpoints/${encodeURIComponent(endpointId)}`, patch);
}

export const shareLinksKey = (endpointId: string) => `/api/endpoints/${encodeURIComponent(endpointId)}/share-links`;

export async function createShareLink(
  endpointId: string,
  input: { captureId?: string; expiresInSeconds?: number; label?: string },
): Promise<ShareLink> {
  return sendJson<ShareLink>("POST", shareLinksKey(endpointId), input);
}

export async function revokeShareLink(id: string): Promise<void> {
  await sendJson("DELETE", `/api/share-links/${encodeURIComponent(id)}`);
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError && err.code === "not_found") return "Not found. It may have been deleted, or you may not have access to it.";
  if (err instanceof Error) return err.message;
  return String(err);
}

export const endpointKey = (id: string) => `/api/endpoints/${encodeURIComponent(id)}`;
export const captureKey = (id: string) => `/api/captures/${encodeURIComponent(id)}`;
export const bodyUrl = (id: string) => `/api/captures/${encodeURIComponent(id)}/body`;

export interface BodyOptions {
  /** The exact stored bytes (members; audited). */
  reveal?: boolean;
  /** An export (the Download button): audited, masked unless revealed. */
  download?: boolean;
  /** Undo Content-Encoding on the server. */
  decode?: boolean;
}

/** Where one inspector view reads from, and how its pages are addressed. */
export interface InspectorApi {
  kind: "dashboard" | "share";
  /** The endpoint's id on the dashboard (saved views, counts, bulk actions); null for a share link. */
  endpointId: string | null;
  /** SWR key of the endpoint (null for a share link: it has no endpoint API). */
  endpoint: string | null;
  /** The capture list with a filter query ("" or "method=…&…"); ends so that `limit=…` can follow. */
  captures(filterQuery: string): string;
  stream(lastSeq: number): string;
  capture(id: string, opts?: { reveal?: boolean }): string;
  body(id: string, opts?: BodyOptions): string;
  /** The page that shows one capture, and the page with none selected. */
  captureHref(id: string): string;
  listHref: string;
}

function query(params: Record<string, boolean | undefined>): string {
  const on = Object.entries(params)
    .filter(([, v]) => v)
    .map(([k]) => `${k}=1`);
  return on.length ? `?${on.join("&")}` : "";
}

export function dashboardApi(endpointId: string): InspectorApi {
  const e = encodeURIComponent(endpointId);
  return {
    kind: "dashboard",
    endpointId,
    endpoint: endpointKey(endpointId),
    captures: (filter) => `/api/endpoints/${e}/captures?${filter ? `${filter}&` : ""}`,
    stream: (lastSeq) => `/api/endpoints/${e}/stream?lastEventId=${lastSeq}`,
    capture: (id, opts = {}) => `${captureKey(id)}${query({ reveal: opts.reveal })}`,
    body: (id, opts = {}) => `${bodyUrl(id)}${query({ reveal: opts.reveal, download: opts.download, decode: opts.decode })}`,
    captureHref: (id) => `/e/${e}/c/${encodeURIComponent(id)}`,
    listHref: `/e/${e}`,
  };
}

/** A share link: always masked (no reveal), no endpoint API; the page selects a capture with ?c=. */
export function shareApi(token: string): InspectorApi {
  const t = encodeURIComponent(token);
  return {
    kind: "share",
    endpointId: null,
    endpoint: null,
    captures: (filter) => `/api/share/${t}/captures?${filter ? `${filter}&` : ""}`,
    stream: (lastSeq) => `/api/share/${t}/stream?lastEventId=${lastSeq}`,
    capture: (id) => `/api/share/${t}/captures/${encodeURIComponent(id)}`,
    body: (id, opts = {}) => `/api/share/${t}/captures/${encodeURIComponent(id)}/body${query({ decode: opts.decode })}`,
    captureHref: (id) => `/s/${t}?c=${encodeURIComponent(id)}`,
    listHref: `/s/${t}`,
  };
}
