/** GitHub: `X-Hub-Signature-256: sha256=<hex>` (legacy `X-Hub-Signature: sha1=<hex>`), HMAC over the raw body. */
import { buildResult, failResult, getHeader, hmac, matchCandidates, reason, hmacKey } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

export function verifyGithub(input: VerifyInput): VerifyResult {
  const provider = "github";
  const sha256 = getHeader(input.headers, "x-hub-signature-256");
  const sha1 = getHeader(input.headers, "x-hub-signature");
  const header = sha256 ?? sha1;
  if (header === null) return failResult(provider, [reason("missing_header", "Neither X-Hub-Signature-256 nor X-Hub-Signature is present.")]);
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
