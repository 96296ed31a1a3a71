/** GitHub: `X-Hub-Signature-256: sha256=<hex>` (legacy `X-Hub-Signature: sha1=<hex>`), HMAC over the raw body. */
import { buildResult, failResult, getHeader, hmac, matchCandidates, reason, hmacKey } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { hint } from "../hints";
import { defineProvider } from "../provider";

export function verifyGithub(input: VerifyInput): VerifyResult {
  const provider = "github";
  const sha256 = getHeader(input.headers, "x-hub-signature-256");
  const sha1 = getHeader(input.headers, "x-hub-signature");
  const header = sha256 ?? sha1;
  if (header === null)
    return failResult(provider, [reason("missing_header", "Neither X-Hub-Signature-256 nor X-Hub-Signature is present.")]);
  const algorithm = sha256 !== null ? "sha256" : "sha1";
  const prefix = `${algorithm}=`;
  const received = [header];
  if (!header.startsWith(prefix)) {
    return failResult(provider, [reason("malformed_header", `Expected the signature to start with "${prefix}".`)], received);
  }
  const expected = prefix + hmac(algorithm, hmacKey(input), [input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => prefix + s.slice(prefix.length).toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}

export const github = defineProvider({
  id: "github",
  name: "GitHub",
  summary: "X-Hub-Signature-256: sha256=HMAC-SHA256 hex of the body (legacy X-Hub-Signature sha1).",
  verify: verifyGithub,
  detection: {
    headers: ["x-github-event", "x-github-delivery", "x-github-hook-id"],
    rules: [
      {
        order: 120,
        match: (h) =>
          h.has("x-github-event") || h.has("x-github-delivery") || h.has("x-github-hook-id")
            ? hint("high", h.get("x-github-event"), h.get("x-github-delivery"))
            : null,
      },
      { order: 430, match: (h) => (h.ua.startsWith("github-hookshot/") ? hint("low", null, null) : null) },
    ],
  },
});
