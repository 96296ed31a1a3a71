/** Jira Cloud admin webhooks: `X-Hub-Signature: sha256=<hex>`, HMAC-SHA256 of the raw body. */
import { verifyHubSignatureSha256 } from "../schemes/hub-sha256";
import type { VerifyInput, VerifyResult } from "../types";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export const verifyJira = (input: VerifyInput): VerifyResult => verifyHubSignatureSha256(input, "jira");

export const jira = defineProvider({
  id: "jira",
  name: "Jira",
  summary: "X-Hub-Signature: sha256=HMAC-SHA256 hex of the body.",
  verify: verifyJira,
  detection: {
    headers: ["x-atlassian-webhook-identifier", "x-hub-signature"],
    rules: [
      {
        order: 280,
        match: (h, b) =>
          h.has("x-atlassian-webhook-identifier") || h.ua.startsWith("atlassian webhook")
            ? hint(
                h.has("x-atlassian-webhook-identifier") ? "high" : "medium",
                field(b.json(), "webhookEvent"),
                h.get("x-atlassian-webhook-identifier"),
              )
            : null,
      },
      {
        // `X-Hub-Signature: sha256=` is shared with Bitbucket (order 311); a Jira body names its webhookEvent.
        order: 310,
        match: (h, b) => {
          if (!(h.get("x-hub-signature")?.trim().toLowerCase().startsWith("sha256=") ?? false)) return null;
          const event = field(b.json(), "webhookEvent");
          return event === null ? null : hint("medium", event, null);
        },
      },
    ],
  },
});
