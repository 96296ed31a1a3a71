/** Shopify: `X-Shopify-Hmac-SHA256` = base64 HMAC-SHA256 of the raw body with the app client secret. */
import { buildResult, failResult, getHeader, hmac, matchCandidates, missingHeader, hmacKey } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { hint } from "../hints";
import { defineProvider } from "../provider";

export function verifyShopify(input: VerifyInput): VerifyResult {
  const provider = "shopify";
  const header = getHeader(input.headers, "x-shopify-hmac-sha256");
  if (header === null) return failResult(provider, [missingHeader("X-Shopify-Hmac-SHA256")]);
  const received = [header.trim()];
  const expected = hmac("sha256", hmacKey(input), [input.body]).toString("base64");
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}

export const shopify = defineProvider({
  id: "shopify",
  name: "Shopify",
  summary: "X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body.",
  secretLabel: "App client secret",
  verify: verifyShopify,
  detection: {
    headers: ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-webhook-id", "x-shopify-event-id"],
    rules: [
      {
        order: 170,
        match: (h) =>
          h.has("x-shopify-hmac-sha256") || h.has("x-shopify-topic")
            ? hint("high", h.get("x-shopify-topic"), h.get("x-shopify-webhook-id") ?? h.get("x-shopify-event-id"))
            : null,
      },
      { order: 440, match: (h) => (h.ua.includes("shopify-captain-hook") ? hint("low", null, null) : null) },
    ],
  },
});
