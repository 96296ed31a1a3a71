// Browser-side access to the signature lab API (POST /api/captures/:id/verify, saved secrets, providers).
// The server shortens signature values unless a member reveals them (audited), and never returns a saved secret.
import { sendJson } from "../api-client";
import type { VerifyAnswer } from "@/lib/capture/service/verify";
import type { SecretInfo } from "@/lib/signatures/secrets";
import type { GenericHmacOptions } from "@/lib/signatures/types";

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

export const verifyCaptureRequest = (captureId: string, input: VerifyInput = {}) =>
  sendJson<VerifyAnswer>("POST", verifyUrl(captureId), input);

export const saveSecretRequest = (
  endpointId: string,
  input: { provider: string; label?: string; secret: string; generic?: GenericHmacOptions },
) => sendJson<SecretInfo>("POST", secretsKey(endpointId), input);

export const deleteSecretRequest = (endpointId: string, secretId: string) =>
  sendJson<void>("DELETE", `${secretsKey(endpointId)}/${encodeURIComponent(secretId)}`);
