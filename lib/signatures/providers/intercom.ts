/** Intercom: `X-Hub-Signature: sha1=<hex>`, HMAC-SHA1 of the raw body (key = hub_secret / app client_secret). */
import { buildResult, failResult, getHeader, hmac, matchCandidates, missingHeader, reason, hmacKey } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export function verifyIntercom(input: VerifyInput): VerifyResult {
  const provider = "intercom";
  const header = getHeader(input.headers, "x-hub-signature");
  if (header === null) return failResult(provider, [missingHeader("X-Hub-Signature")]);
  const received = [header.trim()];
  const prefix = "sha1=";
  if (!received[0]!.startsWith(prefix))
    return failResult(provider, [reason("malformed_header", `Expected the signature to start with "${prefix}".`)], received);
  const expected = prefix + hmac("sha1", hmacKey(input), [input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => prefix + s.slice(prefix.length).toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch });
}

export const intercom = defineProvider({
  id: "intercom",
  name: "Intercom",
  summary: "X-Hub-Signature: sha1=HMAC-SHA1 hex of the body.",
  secretLabel: "Client secret (hub_secret)",
  verify: verifyIntercom,
  detection: {
    headers: ["x-hub-signature"],
    rules: [
      {
        // GitHub's legacy header without any X-GitHub-* header (those match at order 120): Intercom signs this way.
        order: 300,
        match: (h, b) => {
          if (!(h.get("x-hub-signature")?.trim().toLowerCase().startsWith("sha1=") ?? false)) return null;
          const j = b.json();
          const confident = field(j, "type") === "notification_event" || h.ua.includes("intercom");
          return hint(confident ? "high" : "medium", field(j, "topic"), field(j, "id"));
        },
      },
    ],
  },
});
