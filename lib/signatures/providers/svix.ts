/** Svix (Clerk, Resend…): the Standard Webhooks scheme under `svix-*` header names. */
import { STANDARD_WEBHOOKS_TOLERANCE_SECONDS, verifyStandardWebhooks } from "./standard-webhooks";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export const svix = defineProvider({
  id: "svix",
  name: "Svix (Clerk, Resend…)",
  summary: "svix-signature v1,<base64 HMAC-SHA256 of `id.timestamp.body`>; whsec_ secret base64-decoded.",
  secretLabel: "Signing secret (whsec_…)",
  secretKind: "whsec-base64",
  toleranceSeconds: STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
  timestampUnit: "s",
  timestampSource: { header: "svix-timestamp" },
  verify: verifyStandardWebhooks,
  detection: {
    headers: ["svix-id", "svix-signature", "svix-timestamp"],
    rules: [
      {
        order: 150,
        match: (h, b) =>
          h.has("svix-signature") || (h.has("svix-id") && h.has("svix-timestamp"))
            ? hint(h.has("svix-signature") ? "high" : "medium", field(b.json(), "type"), h.get("svix-id"))
            : null,
      },
    ],
  },
});
