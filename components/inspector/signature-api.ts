// Browser-side access to the signature lab API (POST /api/captures/:id/verify, saved secrets, providers).
// The server shortens signature values unless a member reveals them (audited), and never returns a saved secret.
import { ApiError } from "./api";
import type { VerifyAnswer } from "@/lib/signatures/api";
import type { SecretInfo } from "@/lib/signatures/secrets";
import type { GenericHmacOptions } from "@/lib/signatures/registry";

export type { VerifyAnswer, SecretInfo, GenericHmacOptions };
export type SignatureStatus = VerifyAnswer["status"];

export interface ProviderInfo {
  id: string;
  name: string;
  summary: string;
  secretLabel: string;
  secretKind: string;
  signsUrl: boolean;
  toleranceSeconds: number | null;
}

export const PROVIDERS_KEY = "/api/signature-providers";
export const secretsKey = (endpointId: string) => `/api/endpoints/${encodeURIComponent(endpointId)}/signature-secrets`;
export const verifyUrl = (captureId: string) => `/api/captures/${encodeURIComponent(captureId)}/verify`;

export interface VerifyInput {
  provider?: string;
  secret?: string;
  secretId?: string;
  generic?: GenericHmacOptions;
  reveal?: boolean;
}

async function call<T>(url: string, method: "POST" | "DELETE", body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let code = "http_error";
    let message = `The server answered HTTP ${res.status}.`;
    try {
      const e = (await res.json()) as { error?: { code?: string; message?: string } };
      code = e.error?.code ?? code;
      message = e.error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, code, message);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const verifyCaptureRequest = (captureId: string, input: VerifyInput = {}) => call<VerifyAnswer>(verifyUrl(captureId), "POST", input);

export const saveSecretRequest = (endpointId: string, input: { provider: string; label?: string; secret: string; generic?: GenericHmacOptions }) =>
  call<SecretInfo>(secretsKey(endpointId), "POST", input);

export const deleteSecretRequest = (endpointId: string, secretId: string) =>
  call<void>(`${secretsKey(endpointId)}/${encodeURIComponent(secretId)}`, "DELETE");
