/** Calendly: `Calendly-Webhook-Signature: t=..,v1=..`, HMAC-SHA256 hex over `t.raw`, ~3 min window (past only, as in Calendly's sample). */
import type { VerifyInput, VerifyResult } from "./types";
import { verifyTimestampedV1 } from "./verify-t-v1";

export const CALENDLY_TOLERANCE_SECONDS = 180;

export function verifyCalendly(input: VerifyInput): VerifyResult {
  return verifyTimestampedV1(input, { provider: "calendly", header: "Calendly-Webhook-Signature", toleranceSeconds: CALENDLY_TOLERANCE_SECONDS });
}
