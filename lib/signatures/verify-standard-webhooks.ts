/** Standard Webhooks / Svix (and Clerk, Resend, GitLab signing tokens): HMAC-SHA256 over `id.ts.raw`, base64, `v1,<sig>` list. */
import { buildResult, checkTimestamp, failResult, getHeader, hmac, matchCandidates, missingHeader, parseTimestamp, reason } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 300;

/** `whsec_` + base64 → key bytes (the prefix is optional). */
export function decodeStandardWebhooksSecret(secret: string): Buffer {
  const s = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  return Buffer.from(s, "base64");
}

export function verifyStandardWebhooks(input: VerifyInput): VerifyResult {
  const useSvix = getHeader(input.headers, "webhook-signature") === null && getHeader(input.headers, "svix-signature") !== null;
  const provider = useSvix ? "svix" : "standard-webhooks";
  const prefix = useSvix ? "svix-" : "webhook-";
  const id = getHeader(input.headers, `${prefix}id`);
  const tsRaw = getHeader(input.headers, `${prefix}timestamp`);
  const sigHeader = getHeader(input.headers, `${prefix}signature`);
  const missing = [
    id === null ? missingHeader(`${prefix}id`) : null,
    tsRaw === null ? missingHeader(`${prefix}timestamp`) : null,
    sigHeader === null ? missingHeader(`${prefix}signature`) : null,
  ].filter((r) => r !== null);
  if (id === null || tsRaw === null || sigHeader === null) return failResult(provider, missing);

  const received = sigHeader.split(" ").filter((e) => e.length > 0);
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", `${prefix}timestamp is not an integer number of seconds.`)], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? STANDARD_WEBHOOKS_TOLERANCE_SECONDS);

  const v1 = received.filter((e) => e.startsWith("v1,"));
  if (v1.length === 0) {
    const malformed = received.some((e) => !e.includes(","));
    return failResult(
      provider,
      [malformed ? reason("malformed_header", `${prefix}signature entries must look like "v1,<base64>".`) : reason("unsupported_version", "No v1 (HMAC-SHA256) signature entry; only v1 is supported.")],
      received,
      timestamp,
    );
  }
  const expected = `v1,${hmac("sha256", input.secretBytes ?? decodeStandardWebhooksSecret(input.secret), [`${id}.${tsRaw}.`, input.body]).toString("base64")}`;
  const { matched, lengthMismatch } = matchCandidates(expected, v1);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}
