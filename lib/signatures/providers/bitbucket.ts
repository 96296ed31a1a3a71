/** Bitbucket (Cloud / Data Center) webhooks: `X-Hub-Signature: sha256=<hex>`, HMAC-SHA256 of the raw body. */
import { verifyHubSignatureSha256 } from "../schemes/hub-sha256";
import type { VerifyInput, VerifyResult } from "../types";
import { hint, type HeaderView } from "../hints";
import { defineProvider } from "../provider";

export const verifyBitbucket = (input: VerifyInput): VerifyResult => verifyHubSignatureSha256(input, "bitbucket");

const bitbucketId = (h: HeaderView) => h.get("x-request-uuid") ?? h.get("x-request-id");

export const bitbucket = defineProvider({
  id: "bitbucket",
  name: "Bitbucket",
  summary: "X-Hub-Signature: sha256=HMAC-SHA256 hex of the body.",
  verify: verifyBitbucket,
  detection: {
    headers: ["x-event-key", "x-hook-uuid", "x-request-uuid", "x-request-id", "x-hub-signature"],
    rules: [
      {
        order: 290,
        match: (h) =>
          h.has("x-event-key") &&
          (h.has("x-hook-uuid") || h.has("x-request-uuid") || h.has("x-hub-signature") || h.ua.startsWith("bitbucket"))
            ? hint("high", h.get("x-event-key"), bitbucketId(h))
            : null,
      },
      {
        // A bare `X-Hub-Signature: sha256=` that Jira (order 310) did not claim.
        order: 311,
        match: (h) =>
          h.get("x-hub-signature")?.trim().toLowerCase().startsWith("sha256=")
            ? hint(h.has("x-event-key") ? "medium" : "low", h.get("x-event-key"), bitbucketId(h))
            : null,
      },
      {
        order: 320,
        match: (h) => (h.has("x-event-key") && h.has("x-request-id") ? hint("medium", h.get("x-event-key"), h.get("x-request-id")) : null),
      },
      { order: 460, match: (h) => (h.ua.startsWith("bitbucket-webhooks") ? hint("low", null, null) : null) },
    ],
  },
});
