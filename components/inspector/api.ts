// Browser-side API access for the inspector. API errors ({ error: { code, message } }) become
// ApiError with the server's readable message.
import type { CaptureDetail, CaptureSummary } from "@/lib/capture/types";
import type { EndpointView } from "@/lib/endpoints/endpoints";

export type { CaptureDetail, CaptureSummary, EndpointView };

export interface CapturePage {
  captures: CaptureSummary[];
  nextBefore: number | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(res.status, body.error?.code ?? "http_error", body.error?.message ?? `HTTP ${res.status}`);
  } catch {
    return new ApiError(res.status, "http_error", `The server answered HTTP ${res.status}.`);
  }
}

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw await failure(res);
  return new Uint8Array(await res.arrayBuffer());
}

export async function deleteCaptureRequest(id: string): Promise<void> {
  const res = await fetch(`/api/captures/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (!res.ok && res.status !== 404) throw await failure(res);
}

export async function clearCapturesRequest(endpointId: string): Promise<number> {
  const res = await fetch(`/api/endpoints/${encodeURIComponent(endpointId)}/captures`, { method: "DELETE" });
  if (!res.ok) throw await failure(res);
  return ((await res.json()) as { deleted: number }).deleted;
}

export interface EndpointPatch {
  name?: string;
  alias?: string | null;
  response?: Partial<EndpointView["response"]>;
}

export async function patchEndpoint(endpointId: string, patch: EndpointPatch): Promise<EndpointView> {
  const res = await fetch(`/api/endpoints/${encodeURIComponent(endpointId)}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(patch),
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as EndpointView;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError && err.code === "not_found") return "Not found. It may have been deleted, or it belongs to another browser.";
  if (err instanceof Error) return err.message;
  return String(err);
}

export const endpointKey = (id: string) => `/api/endpoints/${encodeURIComponent(id)}`;
export const captureKey = (id: string) => `/api/captures/${encodeURIComponent(id)}`;
export const bodyUrl = (id: string) => `/api/captures/${encodeURIComponent(id)}/body`;
