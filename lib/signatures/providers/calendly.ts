/** Calendly: `Calendly-Webhook-Signature: t=..,v1=..`, HMAC-SHA256 hex over `t.raw`, ~3 min window (past only, as in Calendly's sample). */
import type { VerifyInput, VerifyResult } from "../types";
import { verifyTimestampedV1 } from "../schemes/t-v1";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export const CALENDLY_TOLERANCE_SECONDS = 180;

export function verifyCalendly(input: VerifyInput): VerifyResult {
  return verifyTimestampedV1(input, {
    provider: "calendly",
    header: "Calendly-Webhook-Signature",
    toleranceSeconds: CALENDLY_TOLERANCE_SECONDS,
  });
}

export const calendly = defineProvider({
  id: "calendly",
  name: "Calendly",
  summary: "Calendly-Webhook-Signature t=…,v1=…: HMAC-SHA256 hex of `t.body`.",
  secretLabel: "Webhook signing key",
  toleranceSeconds: CALENDLY_TOLERANCE_SECONDS,
  timestampUnit: "s",
  timestampSource: { header: "Calendly-Webhook-Signature", param: { key: "t", separator: "," } },
  verify: verifyCalendly,
  detection: {
    headers: ["calendly-webhook-signature"],
    rules: [{ order: 110, match: (h, b) => (h.has("calendly-webhook-signature") ? hint("high", field(b.json(), "event"), null) : null) }],
  },
});
