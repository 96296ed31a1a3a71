/** Stripe: `Stripe-Signature: t=..,v1=..[,v1=..]`, HMAC-SHA256 hex over `t.raw`, secret used as a UTF-8 string. */
import type { VerifyInput, VerifyResult } from "../types";
import { verifyTimestampedV1 } from "../schemes/t-v1";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export const STRIPE_TOLERANCE_SECONDS = 300;

export function verifyStripe(input: VerifyInput): VerifyResult {
  return verifyTimestampedV1(input, { provider: "stripe", header: "Stripe-Signature", toleranceSeconds: STRIPE_TOLERANCE_SECONDS });
}

export const stripe = defineProvider({
  id: "stripe",
  name: "Stripe",
  summary: "Stripe-Signature t=…,v1=…: HMAC-SHA256 hex over `t.body`; the whsec_ secret is used as text.",
  secretLabel: "Endpoint signing secret (whsec_…)",
  toleranceSeconds: STRIPE_TOLERANCE_SECONDS,
  timestampUnit: "s",
  timestampSource: { header: "Stripe-Signature", param: { key: "t", separator: "," } },
  verify: verifyStripe,
  detection: {
    headers: ["stripe-signature"],
    rules: [
      { order: 100, match: (h, b) => (h.has("stripe-signature") ? hint("high", field(b.json(), "type"), field(b.json(), "id")) : null) },
      { order: 420, match: (h, b) => (h.ua.startsWith("stripe/") ? hint("low", field(b.json(), "type"), field(b.json(), "id")) : null) },
    ],
  },
});
