/** HubSpot v1: `X-HubSpot-Signature` = hex SHA-256 of (client secret + raw body). */
import { buildResult, failResult, getHeader, matchCandidates, missingHeader, reason, secretHash } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

export function verifyHubspotV1(input: VerifyInput): VerifyResult {
  const provider = "hubspot";
  const header = getHeader(input.headers, "x-hubspot-signature");
  if (header === null) return failResult(provider, [missingHeader("X-HubSpot-Signature")]);
  const received = [header.trim()];
  const version = getHeader(input.headers, "x-hubspot-signature-version");
  if (version !== null && version.trim().toLowerCase() !== "v1") {
    return failResult(provider, [reason("unsupported_version", `X-HubSpot-Signature-Version is ${version}; only v1 is implemented.`)], received);
  }
  const expected = secretHash(input).update(input.body).digest("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}
