/** Shopify: `X-Shopify-Hmac-SHA256` = base64 HMAC-SHA256 of the raw body with the app client secret. */
import { buildResult, failResult, getHeader, hmac, matchCandidates, missingHeader, hmacKey } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

export function verifyShopify(input: VerifyInput): VerifyResult {
  const provider = "shopify";
  const header = getHeader(input.headers, "x-shopify-hmac-sha256");
  if (header === null) return failResult(provider, [missingHeader("X-Shopify-Hmac-SHA256")]);
  const received = [header.trim()];
  const expected = hmac("sha256", hmacKey(input), [input.body]).toString("base64");
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}
