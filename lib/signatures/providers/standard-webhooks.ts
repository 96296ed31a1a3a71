/** Standard Webhooks / Svix (and Clerk, Resend, GitLab signing tokens): HMAC-SHA256 over `id.ts.raw`, base64, `v1,<sig>` list. */
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
} from "../compare";
import { decodeWhsec } from "../secret-encoding";
import type { VerifyInput, VerifyResult } from "../types";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 300;

/** `whsec_` + canonical base64 → key bytes (the prefix is optional); null when malformed (secret-encoding.ts). */
export function decodeStandardWebhooksSecret(secret: string): Buffer | null {
  const r = decodeWhsec(secret);
  return r.ok ? r.bytes : null;
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
  if (ts === null)
    return failResult(provider, [reason("malformed_header", `${prefix}timestamp is not an integer number of seconds.`)], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? STANDARD_WEBHOOKS_TOLERANCE_SECONDS);

  const v1 = received.filter((e) => e.startsWith("v1,"));
  if (v1.length === 0) {
    const malformed = received.some((e) => !e.includes(","));
    return failResult(
      provider,
      [
        malformed
          ? reason("malformed_header", `${prefix}signature entries must look like "v1,<base64>".`)
          : reason("unsupported_version", "No v1 (HMAC-SHA256) signature entry; only v1 is supported."),
      ],
      received,
      timestamp,
    );
  }
  // No secret ("") is the dispatcher's missing_secret case: an empty key, as before. A malformed one is no key at all.
  let key: Uint8Array;
  if (input.secretBytes !== undefined) key = input.secretBytes;
  else if (input.secret === "") key = Buffer.alloc(0);
  else {
    const decoded = decodeWhsec(input.secret);
    if (!decoded.ok) return failResult(provider, [reason("invalid_key", `The signing secret ${decoded.error}.`)], received, timestamp);
    key = decoded.bytes;
  }
  const expected = `v1,${hmac("sha256", key, [`${id}.${tsRaw}.`, input.body]).toString("base64")}`;
  const { matched, lengthMismatch } = matchCandidates(expected, v1);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

export const standardWebhooks = defineProvider({
  id: "standard-webhooks",
  name: "Standard Webhooks",
  summary: "webhook-signature v1,<base64 HMAC-SHA256 of `id.timestamp.body`>; whsec_ secret base64-decoded.",
  secretLabel: "Signing secret (whsec_…)",
  secretKind: "whsec-base64",
  toleranceSeconds: STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
  timestampUnit: "s",
  timestampSource: { header: "webhook-timestamp" },
  verify: verifyStandardWebhooks,
  detection: {
    headers: ["webhook-id", "webhook-signature", "webhook-timestamp"],
    rules: [
      {
        // After GitLab (order 130): GitLab signing tokens send these headers too.
        order: 140,
        match: (h, b) =>
          h.has("webhook-signature") || (h.has("webhook-id") && h.has("webhook-timestamp"))
            ? hint(h.has("webhook-signature") ? "high" : "medium", field(b.json(), "type"), h.get("webhook-id"))
            : null,
      },
    ],
  },
});
