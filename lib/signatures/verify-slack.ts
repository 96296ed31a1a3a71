/** Slack: `X-Slack-Signature: v0=<hex>` over `v0:ts:raw`, `X-Slack-Request-Timestamp`, 5 min window. */
import { buildResult, checkTimestamp, failResult, getHeader, hmac, matchCandidates, missingHeader, parseTimestamp, reason, hmacKey } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

export const SLACK_TOLERANCE_SECONDS = 300;

export function verifySlack(input: VerifyInput): VerifyResult {
  const provider = "slack";
  const sig = getHeader(input.headers, "x-slack-signature");
  const tsRaw = getHeader(input.headers, "x-slack-request-timestamp");
  if (sig === null || tsRaw === null) {
    return failResult(provider, [
      ...(sig === null ? [missingHeader("X-Slack-Signature")] : []),
      ...(tsRaw === null ? [missingHeader("X-Slack-Request-Timestamp")] : []),
    ]);
  }
  const received = [sig];
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "X-Slack-Request-Timestamp is not an integer.")], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? SLACK_TOLERANCE_SECONDS);
  if (!sig.startsWith("v0=")) return failResult(provider, [reason("malformed_header", 'X-Slack-Signature must start with "v0=".')], received, timestamp);
  const expected = `v0=${hmac("sha256", hmacKey(input), [`v0:${tsRaw}:`, input.body]).toString("hex")}`;
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}
