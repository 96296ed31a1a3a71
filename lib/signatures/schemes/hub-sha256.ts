/** The scheme Bitbucket and Jira share: `X-Hub-Signature: sha256=<hex>`, HMAC-SHA256 of the raw body. */
import { buildResult, failResult, getHeader, hmac, matchCandidates, missingHeader, reason, hmacKey } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";

export function verifyHubSignatureSha256(input: VerifyInput, provider: string): VerifyResult {
  const header = getHeader(input.headers, "x-hub-signature");
  if (header === null) return failResult(provider, [missingHeader("X-Hub-Signature")]);
  const received = [header.trim()];
  const prefix = "sha256=";
  if (!received[0]!.startsWith(prefix))
    return failResult(provider, [reason("malformed_header", `Expected the signature to start with "${prefix}".`)], received);
  const expected = prefix + hmac("sha256", hmacKey(input), [input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => prefix + s.slice(prefix.length).toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}
