/** Square: `x-square-hmacsha256-signature` = base64 HMAC-SHA256(key, notificationUrl + raw); legacy `x-square-signature` uses SHA-1. */
import { buildResult, failResult, getHeader, hmac, matchCandidates, reason, hmacKey } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export function verifySquare(input: VerifyInput): VerifyResult {
  const provider = "square";
  const sha256 = getHeader(input.headers, "x-square-hmacsha256-signature");
  const sha1 = getHeader(input.headers, "x-square-signature");
  const header = sha256 ?? sha1;
  if (header === null)
    return failResult(provider, [reason("missing_header", "Neither x-square-hmacsha256-signature nor x-square-signature is present.")]);
  const received = [header.trim()];
  if (input.url === undefined || input.url === "") {
    return failResult(
      provider,
      [reason("missing_url", "Square signs the notification URL; the public capture URL is required.")],
      received,
    );
  }
  const expected = hmac(sha256 !== null ? "sha256" : "sha1", hmacKey(input), [input.url, input.body]).toString("base64");
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}

export const square = defineProvider({
  id: "square",
  name: "Square",
  summary: "x-square-hmacsha256-signature: base64 HMAC-SHA256 of notification URL + body.",
  secretLabel: "Subscription signature key",
  signsUrl: true,
  verify: verifySquare,
  detection: {
    headers: ["x-square-hmacsha256-signature", "x-square-signature"],
    rules: [
      {
        order: 210,
        match: (h, b) => {
          if (!h.has("x-square-hmacsha256-signature") && !h.has("x-square-signature")) return null;
          const j = b.json();
          return hint("high", field(j, "type"), field(j, "event_id"));
        },
      },
    ],
  },
});
