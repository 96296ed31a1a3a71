/**
 * The `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` scheme Stripe introduced and Calendly copied:
 * HMAC-SHA256 hex over `t.raw`, the secret used as a UTF-8 string (prefix included), every v1
 * checked, the window judged on the past only (as both SDKs do).
 */
import {
  buildResult,
  checkTimestamp,
  failResult,
  getHeader,
  hmac,
  matchCandidates,
  missingHeader,
  parseTimestamp,
  reason,
  hmacKey,
} from "../compare";
import type { VerifyInput, VerifyResult } from "../types";

export function verifyTimestampedV1(
  input: VerifyInput,
  scheme: { provider: string; header: string; toleranceSeconds: number },
): VerifyResult {
  const { provider, header: name } = scheme;
  const header = getHeader(input.headers, name.toLowerCase());
  if (header === null) return failResult(provider, [missingHeader(name)]);
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
  if (tRaw === null) return failResult(provider, [reason("malformed_header", `${name} has no t= timestamp.`)], v1);
  const ts = parseTimestamp(tRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", `${name} t= is not an integer.`)], v1);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? scheme.toleranceSeconds, true);
  if (v1.length === 0) return failResult(provider, [reason("malformed_header", `${name} has no v1= signature.`)], v1, timestamp);
  const expected = hmac("sha256", hmacKey(input), [`${tRaw}.`, input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, v1, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received: v1, matched, lengthMismatch, timestamp });
}
