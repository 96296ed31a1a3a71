/** Stripe: `Stripe-Signature: t=..,v1=..[,v1=..]`, HMAC-SHA256 hex over `t.raw`, secret used as a UTF-8 string. */
import { buildResult, checkTimestamp, failResult, getHeader, hmac, matchCandidates, missingHeader, parseTimestamp, reason } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

export const STRIPE_TOLERANCE_SECONDS = 300;

export function verifyStripe(input: VerifyInput): VerifyResult {
  const provider = "stripe";
  const header = getHeader(input.headers, "stripe-signature");
  if (header === null) return failResult(provider, [missingHeader("Stripe-Signature")]);
  let tRaw: string | null = null;
  const v1: string[] = [];
  for (const item of header.split(",")) {
    const eq = item.indexOf("=");
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === "t" && tRaw === null) tRaw = value;
    else if (key === "v1") v1.push(value);
  }
  if (tRaw === null) return failResult(provider, [reason("malformed_header", "Stripe-Signature has no t= timestamp.")], v1);
  const ts = parseTimestamp(tRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "Stripe-Signature t= is not an integer.")], v1);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? STRIPE_TOLERANCE_SECONDS, true);
  if (v1.length === 0) return failResult(provider, [reason("malformed_header", "Stripe-Signature has no v1= signature.")], v1, timestamp);
  const expected = hmac("sha256", input.secret, [`${tRaw}.`, input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, v1, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received: v1, matched, lengthMismatch, timestamp });
}
