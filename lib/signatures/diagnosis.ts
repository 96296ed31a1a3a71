/** What a diagnosis reports (diagnose.ts), its bounds, and the re-check every variation check shares. */
import type { ProviderSpec, ProviderVerifyInput, SchemeDetails } from "./provider";
import type { VerifyResult } from "./types";

export type DiagnosisCode =
  | "body_reserialized"
  | "trailing_newline"
  | "secret_encoding"
  | "other_secret"
  | "url_variant"
  | "signature_encoding"
  | "timestamp_units"
  | "content_length_mismatch"
  | "proxy_traces";

export interface Diagnosis {
  code: DiagnosisCode;
  /** Plain words: what likely happened and what to do. */
  message: string;
  /** Machine-readable specifics (the variant that matched, the secret id …); never contains a secret. */
  detail?: Record<string, string | number | boolean | null>;
}

/** A saved secret the diagnosis may try (the route decrypts them; only id and label are ever reported). */
export interface SecretCandidate {
  id: string;
  label: string;
  secret: string;
}

export interface DiagnoseContext {
  spec: ProviderSpec;
  scheme: SchemeDetails;
  /** The input exactly as verified. */
  input: ProviderVerifyInput;
  /** The verification outcome for that input. */
  result: VerifyResult;
  /** False when no secret was given (only other saved secrets are tried). */
  secretGiven: boolean;
  otherSecrets?: readonly SecretCandidate[];
  /** Upper bound on verifier re-runs (default MAX_RECHECKS). */
  maxRechecks?: number;
}

/** Verifier re-runs per diagnosis, at most. */
export const MAX_RECHECKS = 40;
/** Other saved secrets tried, at most. */
export const MAX_OTHER_SECRETS = 10;
/** Bodies larger than this are not re-serialised. */
export const MAX_RESERIALIZE_BYTES = 1024 * 1024;

export const hasBodyHashMismatch = (r: VerifyResult) => r.reasons.some((x) => x.code === "body_hash_mismatch");
/** A re-check "fixes" the delivery when the signature matches (and, for Twilio JSON, the body hash does too). */
export const fixes = (r: VerifyResult | null): r is VerifyResult => r?.signatureMatches === true && !hasBodyHashMismatch(r);

export type Recheck = (change: Partial<ProviderVerifyInput>) => VerifyResult | null;
