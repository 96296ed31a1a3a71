/**
 * Zoom: `x-zm-signature: v0=<hex>`, HMAC-SHA256 over `v0:{x-zm-request-timestamp}:{raw}`, key = secret token.
 * Zoom's official sample applies no replay window, so the timestamp is only judged when toleranceSeconds is passed.
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
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export function verifyZoom(input: VerifyInput): VerifyResult {
  const provider = "zoom";
  const sig = getHeader(input.headers, "x-zm-signature");
  const tsRaw = getHeader(input.headers, "x-zm-request-timestamp");
  if (sig === null || tsRaw === null) {
    return failResult(provider, [
      ...(sig === null ? [missingHeader("x-zm-signature")] : []),
      ...(tsRaw === null ? [missingHeader("x-zm-request-timestamp")] : []),
    ]);
  }
  const received = [sig.trim()];
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "x-zm-request-timestamp is not an integer.")], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? null);
  if (!received[0]!.startsWith("v0="))
    return failResult(provider, [reason("malformed_header", 'x-zm-signature must start with "v0=".')], received, timestamp);
  const expected = `v0=${hmac("sha256", hmacKey(input), [`v0:${tsRaw}:`, input.body]).toString("hex")}`;
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => `v0=${s.slice(3).toLowerCase()}`);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

export const zoom = defineProvider({
  id: "zoom",
  name: "Zoom",
  summary: "x-zm-signature v0=HMAC-SHA256 hex of `v0:timestamp:body`.",
  secretLabel: "Secret token",
  timestampUnit: "s",
  timestampSource: { header: "x-zm-request-timestamp" },
  verify: verifyZoom,
  detection: {
    headers: ["x-zm-signature", "x-zm-request-timestamp", "x-zm-trackingid"],
    rules: [
      {
        order: 220,
        match: (h, b) =>
          h.has("x-zm-signature") || h.has("x-zm-request-timestamp")
            ? hint("high", field(b.json(), "event"), h.get("x-zm-trackingid"))
            : null,
      },
    ],
  },
});
