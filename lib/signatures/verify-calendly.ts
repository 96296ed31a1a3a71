/** Calendly: `Calendly-Webhook-Signature: t=..,v1=..`, HMAC-SHA256 hex over `t.raw`, ~3 min window (past only, as in Calendly's sample). */
import { buildResult, checkTimestamp, failResult, getHeader, hmac, matchCandidates, missingHeader, parseTimestamp, reason } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

export const CALENDLY_TOLERANCE_SECONDS = 180;

export function verifyCalendly(input: VerifyInput): VerifyResult {
  const provider = "calendly";
  const header = getHeader(input.headers, "calendly-webhook-signature");
  if (header === null) return failResult(provider, [missingHeader("Calendly-Webhook-Signature")]);
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
  if (tRaw === null) return failResult(provider, [reason("malformed_header", "Calendly-Webhook-Signature has no t= timestamp.")], v1);
  const ts = parseTimestamp(tRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "Calendly-Webhook-Signature t= is not an integer.")], v1);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? CALENDLY_TOLERANCE_SECONDS, true);
  if (v1.length === 0) return failResult(provider, [reason("malformed_header", "Calendly-Webhook-Signature has no v1= signature.")], v1, timestamp);
  const expected = hmac("sha256", input.secret, [`${tRaw}.`, input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, v1, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received: v1, matched, lengthMismatch, timestamp });
}
