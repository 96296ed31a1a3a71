/**
 * HubSpot v2: `X-HubSpot-Signature` (with `X-HubSpot-Signature-Version: v2`) = hex SHA-256 of
 *   client secret + method + URI + raw body.
 * HubSpot v3: `X-HubSpot-Signature-v3` = base64 HMAC-SHA256 (key = client secret) of
 *   method + URI + raw body + `X-HubSpot-Request-Timestamp` (ms); deliveries older than 5 min are rejected.
 * The URI is the full public URL (input.url), signed as given. The HTTP method is not part of VerifyInput, so
 * these verifiers take it as an extra field (default "POST").
 */
import {
  buildResult,
  checkTimestampMs,
  failResult,
  getHeader,
  hmac,
  matchCandidates,
  missingHeader,
  reason,
  hmacKey,
  secretHash,
} from "../compare";
import type { HeaderList, VerifyInput, VerifyResult } from "../types";
import { batchEvents, hint } from "../hints";
import { defineProvider } from "../provider";

export const HUBSPOT_V3_TOLERANCE_SECONDS = 300;

export interface HubspotVerifyInput extends VerifyInput {
  /** HTTP method of the delivery, e.g. "POST" (default) or "GET". */
  method?: string;
}

const missingUrl = () => reason("missing_url", "HubSpot v2/v3 sign the request URI; no capture URL was given.");

export function verifyHubspotV2(input: HubspotVerifyInput): VerifyResult {
  const provider = "hubspot";
  const header = getHeader(input.headers, "x-hubspot-signature");
  if (header === null) return failResult(provider, [missingHeader("X-HubSpot-Signature")]);
  const received = [header.trim()];
  const version = getHeader(input.headers, "x-hubspot-signature-version");
  if (version !== null && version.trim().toLowerCase() !== "v2") {
    return failResult(
      provider,
      [reason("unsupported_version", `X-HubSpot-Signature-Version is ${version}; this verifier implements v2.`)],
      received,
    );
  }
  if (input.url === undefined) return failResult(provider, [missingUrl()], received);
  const method = input.method ?? "POST";
  const expected = secretHash(input).update(method, "utf8").update(input.url, "utf8").update(input.body).digest("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}

export function verifyHubspotV3(input: HubspotVerifyInput): VerifyResult {
  const provider = "hubspot";
  const sig = getHeader(input.headers, "x-hubspot-signature-v3");
  const tsRaw = getHeader(input.headers, "x-hubspot-request-timestamp");
  if (sig === null || tsRaw === null) {
    return failResult(provider, [
      ...(sig === null ? [missingHeader("X-HubSpot-Signature-v3")] : []),
      ...(tsRaw === null ? [missingHeader("X-HubSpot-Request-Timestamp")] : []),
    ]);
  }
  const received = [sig.trim()];
  const tsText = tsRaw.trim();
  if (!/^\d{1,16}$/.test(tsText))
    return failResult(provider, [reason("malformed_header", "X-HubSpot-Request-Timestamp is not an integer (ms).")], received);
  const timestamp = checkTimestampMs(Number(tsText), input.now, input.toleranceSeconds ?? HUBSPOT_V3_TOLERANCE_SECONDS, true);
  if (input.url === undefined) return failResult(provider, [missingUrl()], received, timestamp);
  const method = input.method ?? "POST";
  const expected = hmac("sha256", hmacKey(input), [method, input.url, input.body, tsText]).toString("base64");
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

/** HubSpot v1: `X-HubSpot-Signature` = hex SHA-256 of (client secret + raw body). */
export function verifyHubspotV1(input: VerifyInput): VerifyResult {
  const provider = "hubspot";
  const header = getHeader(input.headers, "x-hubspot-signature");
  if (header === null) return failResult(provider, [missingHeader("X-HubSpot-Signature")]);
  const received = [header.trim()];
  const version = getHeader(input.headers, "x-hubspot-signature-version");
  if (version !== null && version.trim().toLowerCase() !== "v1") {
    return failResult(
      provider,
      [reason("unsupported_version", `X-HubSpot-Signature-Version is ${version}; only v1 is implemented.`)],
      received,
    );
  }
  const expected = secretHash(input).update(input.body).digest("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}

function hubspotVersion(headers: HeaderList): "v1" | "v2" | "v3" {
  if (getHeader(headers, "x-hubspot-signature-v3") !== null) return "v3";
  const v = getHeader(headers, "x-hubspot-signature-version")?.trim().toLowerCase();
  return v === "v2" ? "v2" : "v1";
}

export const hubspot = defineProvider({
  id: "hubspot",
  name: "HubSpot",
  summary:
    "v1: SHA-256 of secret + body; v2: SHA-256 of secret + method + URL + body; v3: base64 HMAC-SHA256 of method + URL + body + timestamp.",
  secretLabel: "App client secret",
  signsUrl: true,
  toleranceSeconds: HUBSPOT_V3_TOLERANCE_SECONDS,
  timestampUnit: "ms",
  timestampSource: { header: "X-HubSpot-Request-Timestamp" },
  verify: (input) => {
    const v = hubspotVersion(input.headers);
    return v === "v3" ? verifyHubspotV3(input) : v === "v2" ? verifyHubspotV2(input) : verifyHubspotV1(input);
  },
  schemeFor: (input) => {
    const v = hubspotVersion(input.headers);
    return v === "v3" ? {} : { signsUrl: v === "v2", toleranceSeconds: null, timestampUnit: null, timestampSource: null };
  },
  detection: {
    headers: ["x-hubspot-signature", "x-hubspot-signature-v3"],
    rules: [
      {
        order: 260,
        match: (h, b) => {
          if (!h.has("x-hubspot-signature-v3") && !h.has("x-hubspot-signature")) return null;
          const ev = batchEvents(b.json(), "subscriptionType", "eventId");
          return hint("high", ev.eventType, ev.deliveryId);
        },
      },
    ],
  },
});
