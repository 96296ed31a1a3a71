/**
 * `verifyCapture`, the dispatcher the verify API calls: picks the provider (given, or detected from the headers), runs
 * its pure verifier over the stored bytes, and adds the diagnosis when the delivery is not valid.
 */
import { detectProvider, type Detection } from "./detect";
import { diagnose } from "./diagnose";
import type { Diagnosis, SecretCandidate } from "./diagnosis";
import { schemeFor, type ProviderSpec, type ProviderVerifyInput } from "./provider";
import { parseGenericOptions } from "./providers/generic";
import { getProvider, type ProviderId } from "./registry";
import type { GenericHmacOptions, HeaderList, Reason, TimestampInfo } from "./types";

export interface VerifyCaptureInput {
  /** Provider id; when absent the provider is detected from the headers (and body). */
  provider?: string | null;
  /** The exact stored body bytes (a string is taken as UTF-8). */
  body: Uint8Array | string;
  /** Raw headers in wire order. */
  headers: HeaderList;
  /** Public capture URL including path and query (URL-signing schemes). */
  url?: string;
  /** HTTP method of the capture (HubSpot v2/v3). */
  method?: string;
  /** The secret / key to check with; null or "" = none (only the timestamp and other candidates are evaluated). */
  secret?: string | null;
  /** Reference time in ms since the epoch (usually the capture's receivedAt, or the API's `now`). */
  now: number;
  /** Replay-window override in seconds. */
  toleranceSeconds?: number;
  /** Options for provider "generic". */
  generic?: GenericHmacOptions;
  /** Other saved secrets of the endpoint, tried by the diagnosis when the signature does not match. */
  otherSecrets?: readonly SecretCandidate[];
}

export type CaptureReasonCode =
  | Reason["code"]
  | "unknown_provider"
  | "missing_secret"
  | "missing_generic_options"
  | "invalid_generic_options";

export interface CaptureReason {
  code: CaptureReasonCode;
  message: string;
}

export interface CaptureTimestamp extends TimestampInfo {
  /** The replay window the timestamp was judged against (seconds), null when none applies. */
  toleranceSeconds: number | null;
}

export interface CaptureVerification {
  /** Provider id used, or null when none was given and none was detected. */
  provider: ProviderId | null;
  providerName: string | null;
  /** True when the provider came from detection rather than from the request. */
  detected: boolean;
  valid: boolean;
  signatureMatches: boolean;
  matchedSignature: string | null;
  timestamp: CaptureTimestamp;
  reasons: CaptureReason[];
  /** Likely causes when not valid (empty when valid). */
  diagnosis: Diagnosis[];
  /** What the correct signature computes to with the given secret (null for token and public-key schemes). */
  expected: string | null;
  /** Every signature value found in the request. */
  received: string[];
  /** Event type and delivery id when detection ran. */
  eventType: string | null;
  deliveryId: string | null;
}

const NO_TS: CaptureTimestamp = { value: null, skewSeconds: null, withinTolerance: null, toleranceSeconds: null };

function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

/** Reasons that only make sense when a secret was checked. */
const SECRET_REASONS = new Set<CaptureReasonCode>(["no_match", "signature_length", "invalid_key"]);

function unverified(
  provider: ProviderSpec<ProviderId> | null,
  detected: boolean,
  detection: Detection | null,
  reason: CaptureReason,
): CaptureVerification {
  return {
    provider: provider?.id ?? null,
    providerName: provider?.name ?? null,
    detected,
    valid: false,
    signatureMatches: false,
    matchedSignature: null,
    timestamp: NO_TS,
    reasons: [reason],
    diagnosis: [],
    expected: null,
    received: [],
    eventType: detection?.eventType ?? null,
    deliveryId: detection?.deliveryId ?? null,
  };
}

/**
 * Verifies a stored capture: provider given or detected, the provider's verifier over the exact bytes, and when the
 * delivery is not valid a bounded diagnosis of the likely cause. Pure apart from the clock value passed in.
 */
export function verifyCapture(input: VerifyCaptureInput): CaptureVerification {
  const body = toBytes(input.body);
  let spec: ProviderSpec<ProviderId> | null = null;
  const requested = input.provider?.trim() ?? "";
  const detected = detectProvider(input.headers, body);
  let detection: Detection | null = detected;
  if (requested !== "") {
    spec = getProvider(requested);
    if (spec === null) {
      return unverified(null, false, null, { code: "unknown_provider", message: `Unknown provider "${requested.slice(0, 60)}".` });
    }
    // Event type and delivery id only when the headers agree with the chosen provider.
    if (detected.provider !== spec.id) detection = null;
  } else {
    spec = detection.provider === null ? null : getProvider(detection.provider);
    if (spec === null) {
      return unverified(null, true, detection, {
        code: "unknown_provider",
        message: "No known provider was recognised from the headers; choose the provider (or generic HMAC) to verify.",
      });
    }
  }
  const wasDetected = requested === "";
  if (spec.id === "generic" && input.generic === undefined) {
    return unverified(spec, wasDetected, detection, {
      code: "missing_generic_options",
      message: "Generic HMAC needs its options: algorithm, signature header, encoding and signed-content template.",
    });
  }

  const secret = input.secret ?? "";
  const secretGiven = secret !== "";
  const vin: ProviderVerifyInput = {
    body,
    headers: input.headers,
    secret,
    now: input.now,
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.method !== undefined ? { method: input.method } : {}),
    ...(input.toleranceSeconds !== undefined ? { toleranceSeconds: input.toleranceSeconds } : {}),
    ...(input.generic !== undefined ? { generic: input.generic } : {}),
  };
  if (spec.id === "generic") {
    const checked = parseGenericOptions(input.generic);
    if (!checked.ok) return unverified(spec, wasDetected, detection, { code: "invalid_generic_options", message: checked.error });
  }
  const scheme = schemeFor(spec, vin);
  const raw = spec.verify(vin);

  let reasons: CaptureReason[] = raw.reasons;
  let expected = raw.expected;
  let matched = raw.matchedSignature;
  if (!secretGiven) {
    reasons = [
      { code: "missing_secret", message: "No secret was given, so the signature could not be checked." },
      ...raw.reasons.filter((r) => !SECRET_REASONS.has(r.code)),
    ];
    expected = null;
    matched = null;
  }
  const signatureMatches = secretGiven && raw.signatureMatches;
  const valid = secretGiven && raw.valid;
  const tolerance = raw.timestamp.withinTolerance === null ? null : (input.toleranceSeconds ?? scheme.toleranceSeconds);
  const result: CaptureVerification = {
    provider: spec.id,
    providerName: spec.name,
    detected: wasDetected,
    valid,
    signatureMatches,
    matchedSignature: matched,
    timestamp: { ...raw.timestamp, toleranceSeconds: tolerance },
    reasons,
    diagnosis: [],
    expected,
    received: raw.received,
    eventType: detection?.eventType ?? null,
    deliveryId: detection?.deliveryId ?? null,
  };
  if (!valid) {
    result.diagnosis = diagnose({
      spec,
      scheme,
      input: vin,
      result: { ...raw, provider: spec.id },
      secretGiven,
      otherSecrets: input.otherSecrets ?? [],
    });
  }
  return result;
}
