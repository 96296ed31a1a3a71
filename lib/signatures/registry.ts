/**
 * One table of every supported webhook signature scheme, and `verifyCapture`, the dispatcher the verify API calls:
 * picks the provider (given, or detected from the headers), runs its pure verifier over the stored bytes, and adds
 * the diagnosis when the delivery is not valid.
 */
import { getHeader } from "./compare";
import { detectProvider, type Detection } from "./detect";
import { diagnose, type Diagnosis, type SecretCandidate } from "./diagnose";
import type { HeaderList, Reason, TimestampInfo, VerifyInput, VerifyResult } from "./types";
import { CALENDLY_TOLERANCE_SECONDS, verifyCalendly } from "./verify-calendly";
import { verifyDiscord } from "./verify-discord";
import { verifyGenericHmac, type GenericHmacOptions } from "./verify-generic";
import { verifyGithub } from "./verify-github";
import { verifyGitlabToken } from "./verify-gitlab";
import { verifyBitbucket, verifyJira } from "./verify-hub-sha256";
import { verifyHubspotV1 } from "./verify-hubspot";
import { HUBSPOT_V3_TOLERANCE_SECONDS, verifyHubspotV2, verifyHubspotV3 } from "./verify-hubspot-v2v3";
import { verifyIntercom } from "./verify-intercom";
import { LINEAR_TOLERANCE_SECONDS, verifyLinear } from "./verify-linear";
import { verifyMailgun } from "./verify-mailgun";
import { PADDLE_TOLERANCE_SECONDS, verifyPaddle } from "./verify-paddle";
import { verifySendgrid } from "./verify-sendgrid";
import { verifyShopify } from "./verify-shopify";
import { SLACK_TOLERANCE_SECONDS, verifySlack } from "./verify-slack";
import { verifySquare } from "./verify-square";
import { STANDARD_WEBHOOKS_TOLERANCE_SECONDS, verifyStandardWebhooks } from "./verify-standard-webhooks";
import { STRIPE_TOLERANCE_SECONDS, verifyStripe } from "./verify-stripe";
import { verifyTwilio } from "./verify-twilio";
import { TWITCH_TOLERANCE_SECONDS, verifyTwitch } from "./verify-twitch";
import { verifyTypeform } from "./verify-typeform";
import { verifyZoom } from "./verify-zoom";

export type { Diagnosis, DiagnosisCode, SecretCandidate } from "./diagnose";
export type { GenericHmacOptions } from "./verify-generic";
export type { Detection } from "./detect";

export const PROVIDER_IDS = [
  "stripe", "github", "standard-webhooks", "svix", "slack", "shopify", "twilio", "sendgrid", "mailgun", "paddle",
  "square", "zoom", "intercom", "linear", "discord", "twitch", "hubspot", "typeform", "calendly", "gitlab",
  "bitbucket", "jira", "generic",
] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

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

export interface ProviderSpec extends SchemeDetails {
  id: ProviderId;
  name: string;
  /** One line for the UI: what is signed and how. */
  summary: string;
  /** What the user must paste as the secret. */
  secretLabel: string;
  verify: (input: ProviderVerifyInput) => VerifyResult;
  /** Per-request scheme details when they depend on the headers or options. */
  schemeFor?: (input: ProviderVerifyInput) => Partial<SchemeDetails>;
}

const hmacSpec = (
  s: Omit<ProviderSpec, "secretKind" | "signsUrl" | "toleranceSeconds" | "timestampUnit" | "timestampSource" | "secretLabel"> & Partial<ProviderSpec>,
): ProviderSpec => ({
  secretKind: "utf8",
  signsUrl: false,
  toleranceSeconds: null,
  timestampUnit: null,
  timestampSource: null,
  secretLabel: "Webhook signing secret",
  ...s,
});

function hubspotVersion(headers: HeaderList): "v1" | "v2" | "v3" {
  if (getHeader(headers, "x-hubspot-signature-v3") !== null) return "v3";
  const v = getHeader(headers, "x-hubspot-signature-version")?.trim().toLowerCase();
  return v === "v2" ? "v2" : "v1";
}

function gitlabUsesSigningToken(headers: HeaderList): boolean {
  return getHeader(headers, "x-gitlab-token") === null && getHeader(headers, "webhook-signature") !== null;
}

const SPECS: readonly ProviderSpec[] = [
  hmacSpec({
    id: "stripe", name: "Stripe", summary: "Stripe-Signature t=…,v1=…: HMAC-SHA256 hex over `t.body`; the whsec_ secret is used as text.",
    secretLabel: "Endpoint signing secret (whsec_…)", toleranceSeconds: STRIPE_TOLERANCE_SECONDS, timestampUnit: "s",
    timestampSource: { header: "Stripe-Signature", param: { key: "t", separator: "," } }, verify: verifyStripe,
  }),
  hmacSpec({
    id: "github", name: "GitHub", summary: "X-Hub-Signature-256: sha256=HMAC-SHA256 hex of the body (legacy X-Hub-Signature sha1).",
    verify: verifyGithub,
  }),
  hmacSpec({
    id: "standard-webhooks", name: "Standard Webhooks", summary: "webhook-signature v1,<base64 HMAC-SHA256 of `id.timestamp.body`>; whsec_ secret base64-decoded.",
    secretLabel: "Signing secret (whsec_…)", secretKind: "whsec-base64", toleranceSeconds: STANDARD_WEBHOOKS_TOLERANCE_SECONDS, timestampUnit: "s",
    timestampSource: { header: "webhook-timestamp" }, verify: verifyStandardWebhooks,
  }),
  hmacSpec({
    id: "svix", name: "Svix (Clerk, Resend…)", summary: "svix-signature v1,<base64 HMAC-SHA256 of `id.timestamp.body`>; whsec_ secret base64-decoded.",
    secretLabel: "Signing secret (whsec_…)", secretKind: "whsec-base64", toleranceSeconds: STANDARD_WEBHOOKS_TOLERANCE_SECONDS, timestampUnit: "s",
    timestampSource: { header: "svix-timestamp" }, verify: verifyStandardWebhooks,
  }),
  hmacSpec({
    id: "slack", name: "Slack", summary: "X-Slack-Signature v0=HMAC-SHA256 hex of `v0:timestamp:body`.",
    secretLabel: "Signing secret", toleranceSeconds: SLACK_TOLERANCE_SECONDS, timestampUnit: "s",
    timestampSource: { header: "X-Slack-Request-Timestamp" }, verify: verifySlack,
  }),
  hmacSpec({
    id: "shopify", name: "Shopify", summary: "X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body.",
    secretLabel: "App client secret", verify: verifyShopify,
  }),
  hmacSpec({
    id: "twilio", name: "Twilio", summary: "X-Twilio-Signature: base64 HMAC-SHA1 of the full URL + sorted POST params (JSON: URL with bodySHA256).",
    secretLabel: "Auth token", signsUrl: true, verify: verifyTwilio,
  }),
  hmacSpec({
    id: "sendgrid", name: "SendGrid Event Webhook", summary: "ECDSA P-256 signature (base64 DER) over timestamp + body.",
    secretLabel: "Verification key (base64 public key)", secretKind: "public-key", timestampUnit: "s",
    timestampSource: { header: "X-Twilio-Email-Event-Webhook-Timestamp" }, verify: verifySendgrid,
  }),
  hmacSpec({
    id: "mailgun", name: "Mailgun", summary: "Body field signature.signature: HMAC-SHA256 hex of timestamp + token.",
    secretLabel: "HTTP webhook signing key", timestampUnit: "s", verify: verifyMailgun,
  }),
  hmacSpec({
    id: "paddle", name: "Paddle Billing", summary: "Paddle-Signature ts=…;h1=…: HMAC-SHA256 hex of `ts:body`.",
    secretLabel: "Notification destination secret key", toleranceSeconds: PADDLE_TOLERANCE_SECONDS, timestampUnit: "s",
    timestampSource: { header: "Paddle-Signature", param: { key: "ts", separator: ";" } }, verify: verifyPaddle,
  }),
  hmacSpec({
    id: "square", name: "Square", summary: "x-square-hmacsha256-signature: base64 HMAC-SHA256 of notification URL + body.",
    secretLabel: "Subscription signature key", signsUrl: true, verify: verifySquare,
  }),
  hmacSpec({
    id: "zoom", name: "Zoom", summary: "x-zm-signature v0=HMAC-SHA256 hex of `v0:timestamp:body`.",
    secretLabel: "Secret token", timestampUnit: "s", timestampSource: { header: "x-zm-request-timestamp" }, verify: verifyZoom,
  }),
  hmacSpec({
    id: "intercom", name: "Intercom", summary: "X-Hub-Signature: sha1=HMAC-SHA1 hex of the body.",
    secretLabel: "Client secret (hub_secret)", verify: verifyIntercom,
  }),
  hmacSpec({
    id: "linear", name: "Linear", summary: "Linear-Signature: HMAC-SHA256 hex of the body; webhookTimestamp (ms) in the body.",
    toleranceSeconds: LINEAR_TOLERANCE_SECONDS, timestampUnit: "ms", verify: verifyLinear,
  }),
  hmacSpec({
    id: "discord", name: "Discord", summary: "X-Signature-Ed25519: Ed25519 signature (hex) of timestamp + body.",
    secretLabel: "Application public key (hex)", secretKind: "public-key", timestampUnit: "s",
    timestampSource: { header: "X-Signature-Timestamp" }, verify: verifyDiscord,
  }),
  hmacSpec({
    id: "twitch", name: "Twitch EventSub", summary: "Twitch-Eventsub-Message-Signature sha256=HMAC-SHA256 hex of id + timestamp + body.",
    secretLabel: "Subscription secret", toleranceSeconds: TWITCH_TOLERANCE_SECONDS, timestampUnit: "rfc3339", verify: verifyTwitch,
  }),
  hmacSpec({
    id: "hubspot", name: "HubSpot", summary: "v1: SHA-256 of secret + body; v2: SHA-256 of secret + method + URL + body; v3: base64 HMAC-SHA256 of method + URL + body + timestamp.",
    secretLabel: "App client secret", signsUrl: true, toleranceSeconds: HUBSPOT_V3_TOLERANCE_SECONDS, timestampUnit: "ms",
    timestampSource: { header: "X-HubSpot-Request-Timestamp" },
    verify: (input) => {
      const v = hubspotVersion(input.headers);
      return v === "v3" ? verifyHubspotV3(input) : v === "v2" ? verifyHubspotV2(input) : verifyHubspotV1(input);
    },
    schemeFor: (input) => {
      const v = hubspotVersion(input.headers);
      return v === "v3" ? {} : { signsUrl: v === "v2", toleranceSeconds: null, timestampUnit: null, timestampSource: null };
    },
  }),
  hmacSpec({
    id: "typeform", name: "Typeform", summary: "Typeform-Signature: sha256=base64 HMAC-SHA256 of the body.",
    verify: verifyTypeform,
  }),
  hmacSpec({
    id: "calendly", name: "Calendly", summary: "Calendly-Webhook-Signature t=…,v1=…: HMAC-SHA256 hex of `t.body`.",
    secretLabel: "Webhook signing key", toleranceSeconds: CALENDLY_TOLERANCE_SECONDS, timestampUnit: "s",
    timestampSource: { header: "Calendly-Webhook-Signature", param: { key: "t", separator: "," } }, verify: verifyCalendly,
  }),
  hmacSpec({
    id: "gitlab", name: "GitLab", summary: "X-Gitlab-Token: the secret token itself (signing tokens: Standard Webhooks headers).",
    secretLabel: "Secret token (or signing token whsec_…)", secretKind: "token",
    verify: (input) => (gitlabUsesSigningToken(input.headers) ? verifyStandardWebhooks(input) : verifyGitlabToken(input)),
    schemeFor: (input) =>
      gitlabUsesSigningToken(input.headers)
        ? { secretKind: "whsec-base64", toleranceSeconds: STANDARD_WEBHOOKS_TOLERANCE_SECONDS, timestampUnit: "s", timestampSource: { header: "webhook-timestamp" } }
        : {},
  }),
  hmacSpec({
    id: "bitbucket", name: "Bitbucket", summary: "X-Hub-Signature: sha256=HMAC-SHA256 hex of the body.",
    verify: verifyBitbucket,
  }),
  hmacSpec({
    id: "jira", name: "Jira", summary: "X-Hub-Signature: sha256=HMAC-SHA256 hex of the body.",
    verify: verifyJira,
  }),
  hmacSpec({
    id: "generic", name: "Generic HMAC", summary: "Configurable HMAC: algorithm, header, prefix, hex/base64, signed-content template.",
    secretLabel: "Secret",
    verify: (input) => {
      if (input.generic === undefined) throw new Error("generic HMAC options are required");
      return verifyGenericHmac(input, input.generic);
    },
    schemeFor: (input) => {
      const g = input.generic;
      if (g === undefined) return {};
      return {
        secretKind: g.secretEncoding === "base64" ? "base64" : g.secretEncoding === "hex" ? "hex" : "utf8",
        signsUrl: (g.template ?? "{body}").includes("{url}"),
        toleranceSeconds: g.timestampHeader !== undefined ? (g.toleranceSeconds ?? 300) : null,
        timestampUnit: g.timestampHeader !== undefined ? "s" : null,
        timestampSource: g.timestampHeader !== undefined ? { header: g.timestampHeader } : null,
      };
    },
  }),
];

const BY_ID = new Map<string, ProviderSpec>(SPECS.map((s) => [s.id, s]));

/** Every provider, in display order. */
export function listProviders(): readonly ProviderSpec[] {
  return SPECS;
}

/** The provider's table row, or null for an unknown id (ids are matched case-insensitively). */
export function getProvider(id: string): ProviderSpec | null {
  return BY_ID.get(id.trim().toLowerCase()) ?? null;
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

// ---------------------------------------------------------------------------------------------------------------
// Dispatcher

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

export type CaptureReasonCode = Reason["code"] | "unknown_provider" | "missing_secret" | "missing_generic_options" | "invalid_generic_options";

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

function unverified(provider: ProviderSpec | null, detected: boolean, detection: Detection | null, reason: CaptureReason): CaptureVerification {
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
  let spec: ProviderSpec | null = null;
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

// ---------------------------------------------------------------------------------------------------------------
// Generic HMAC options from untrusted JSON (the verify API body)

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/** Validates generic HMAC options received as JSON; returns the typed options or a plain-words error. */
export function parseGenericOptions(raw: unknown): { ok: true; options: GenericHmacOptions } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail("Generic HMAC options must be an object.");
  const o = raw as Record<string, unknown>;
  const { algorithm, header, prefix, encoding, template, timestampHeader, toleranceSeconds, secretEncoding } = o;
  if (algorithm !== "sha1" && algorithm !== "sha256" && algorithm !== "sha512") return fail("algorithm must be sha1, sha256 or sha512.");
  if (typeof header !== "string" || !HEADER_NAME.test(header)) return fail("header must be a header name.");
  if (encoding !== "hex" && encoding !== "base64") return fail("encoding must be hex or base64.");
  if (prefix !== undefined && (typeof prefix !== "string" || prefix.length > 40)) return fail("prefix must be a string of at most 40 characters.");
  if (template !== undefined && (typeof template !== "string" || template.length === 0 || template.length > 200)) {
    return fail("template must be a non-empty string of at most 200 characters, e.g. {timestamp}.{body}.");
  }
  if (template !== undefined && !template.includes("{body}") && !template.includes("{url}")) return fail("template must include {body} (or {url}).");
  if (timestampHeader !== undefined && (typeof timestampHeader !== "string" || !HEADER_NAME.test(timestampHeader))) {
    return fail("timestampHeader must be a header name.");
  }
  if (toleranceSeconds !== undefined && (typeof toleranceSeconds !== "number" || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0)) {
    return fail("toleranceSeconds must be a non-negative number.");
  }
  if (secretEncoding !== undefined && secretEncoding !== "utf8" && secretEncoding !== "base64" && secretEncoding !== "hex") {
    return fail("secretEncoding must be utf8, base64 or hex.");
  }
  return {
    ok: true,
    options: {
      algorithm,
      header,
      encoding,
      ...(prefix !== undefined ? { prefix } : {}),
      ...(template !== undefined ? { template } : {}),
      ...(timestampHeader !== undefined ? { timestampHeader } : {}),
      ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}),
      ...(secretEncoding !== undefined ? { secretEncoding } : {}),
    },
  };
}
