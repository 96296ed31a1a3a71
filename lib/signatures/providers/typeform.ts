/** Typeform: `Typeform-Signature: sha256=<base64>`, HMAC-SHA256 of the raw body. Base64 is compared case-sensitively. */
import { buildResult, failResult, getHeader, hmac, matchCandidates, missingHeader, reason, hmacKey } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export function verifyTypeform(input: VerifyInput): VerifyResult {
  const provider = "typeform";
  const header = getHeader(input.headers, "typeform-signature");
  if (header === null) return failResult(provider, [missingHeader("Typeform-Signature")]);
  const received = [header.trim()];
  const prefix = "sha256=";
  if (!received[0]!.startsWith(prefix))
    return failResult(provider, [reason("malformed_header", `Expected the signature to start with "${prefix}".`)], received);
  const expected = prefix + hmac("sha256", hmacKey(input), [input.body]).toString("base64");
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}

export const typeform = defineProvider({
  id: "typeform",
  name: "Typeform",
  summary: "Typeform-Signature: sha256=base64 HMAC-SHA256 of the body.",
  verify: verifyTypeform,
  detection: {
    headers: ["typeform-signature"],
    rules: [
      {
        order: 270,
        match: (h, b) => (h.has("typeform-signature") ? hint("high", field(b.json(), "event_type"), field(b.json(), "event_id")) : null),
      },
      {
        order: 450,
        match: (h, b) => (h.ua.startsWith("typeform") ? hint("low", field(b.json(), "event_type"), field(b.json(), "event_id")) : null),
      },
    ],
  },
});
