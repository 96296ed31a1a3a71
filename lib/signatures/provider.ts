/**
 * The shape of one provider (providers/<id>.ts): its scheme details, its pure verifier and its detection hints.
 * Adding a provider = one file under providers/ built with `defineProvider`, and one line in registry.ts.
 */
import type { ProviderDetection } from "./hints";
import type { GenericHmacOptions, VerifyInput, VerifyResult } from "./types";

/**
 * How the saved secret becomes the key: `utf8` = used as text (prefix included); `whsec-base64` = base64 after an
 * optional `whsec_` prefix; `base64` / `hex` = decoded (generic HMAC); `token` = compared as a plain token;
 * `public-key` = the provider's public key (Ed25519 hex, ECDSA base64 SPKI).
 */
export type SecretKind = "utf8" | "whsec-base64" | "base64" | "hex" | "token" | "public-key";

/** Where the signed timestamp travels, for re-checking it in other units (diagnosis). */
export interface TimestampSource {
  header: string;
  /** For `k=v` lists in one header (Stripe `t=` with ",", Paddle `ts=` with ";"). */
  param?: { key: string; separator: string };
}

export type TimestampUnit = "s" | "ms" | "rfc3339";

/** The scheme as it applies to one request (HubSpot, GitLab and generic depend on headers / options). */
export interface SchemeDetails {
  secretKind: SecretKind;
  signsUrl: boolean;
  /** Default replay window in seconds (before any per-request override); null when the provider documents none. */
  toleranceSeconds: number | null;
  timestampUnit: TimestampUnit | null;
  timestampSource: TimestampSource | null;
}

export interface ProviderVerifyInput extends VerifyInput {
  /** HTTP method of the capture (HubSpot v2/v3 sign it); default POST. */
  method?: string;
  /** Options of the generic HMAC scheme (required for provider "generic"). */
  generic?: GenericHmacOptions;
}

export interface ProviderSpec<Id extends string = string> extends SchemeDetails {
  id: Id;
  name: string;
  /** One line for the UI: what is signed and how. */
  summary: string;
  /** What the user must paste as the secret. */
  secretLabel: string;
  verify: (input: ProviderVerifyInput) => VerifyResult;
  /** Per-request scheme details when they depend on the headers or options. */
  schemeFor?: (input: ProviderVerifyInput) => Partial<SchemeDetails>;
  /** How detect.ts recognises the provider's deliveries (none for generic HMAC). */
  detection: ProviderDetection;
}

type Defaulted = keyof SchemeDetails | "secretLabel" | "detection";

/** A provider with the common defaults: an HMAC over the body with a UTF-8 secret, no timestamp, no URL. */
export function defineProvider<const Id extends string>(
  s: Omit<ProviderSpec<Id>, Defaulted> & Partial<Pick<ProviderSpec<Id>, Defaulted>>,
): ProviderSpec<Id> {
  return {
    secretKind: "utf8",
    signsUrl: false,
    toleranceSeconds: null,
    timestampUnit: null,
    timestampSource: null,
    secretLabel: "Webhook signing secret",
    detection: { headers: [], rules: [] },
    ...s,
  };
}

/** The scheme details that apply to this request. */
export function schemeFor(spec: ProviderSpec, input: ProviderVerifyInput): SchemeDetails {
  const base: SchemeDetails = {
    secretKind: spec.secretKind,
    signsUrl: spec.signsUrl,
    toleranceSeconds: spec.toleranceSeconds,
    timestampUnit: spec.timestampUnit,
    timestampSource: spec.timestampSource,
  };
  return { ...base, ...(spec.schemeFor?.(input) ?? {}) };
}
