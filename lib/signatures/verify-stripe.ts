/** Stripe: `Stripe-Signature: t=..,v1=..[,v1=..]`, HMAC-SHA256 hex over `t.raw`, secret used as a UTF-8 string. */
import type { VerifyInput, VerifyResult } from "./types";
import { verifyTimestampedV1 } from "./verify-t-v1";

export const STRIPE_TOLERANCE_SECONDS = 300;

export function verifyStripe(input: VerifyInput): VerifyResult {
  return verifyTimestampedV1(input, { provider: "stripe", header: "Stripe-Signature", toleranceSeconds: STRIPE_TOLERANCE_SECONDS });
}
