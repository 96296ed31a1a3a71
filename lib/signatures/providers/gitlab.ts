/**
 * GitLab (classic): `X-Gitlab-Token` is the plain secret token, compared constant-time with the configured secret.
 * `expected` is left null so the secret is never echoed back in the result.
 */
import { buildResult, failResult, getHeader, missingHeader, safeCompare } from "../compare";
import type { HeaderList, VerifyInput, VerifyResult } from "../types";
import { STANDARD_WEBHOOKS_TOLERANCE_SECONDS, verifyStandardWebhooks } from "./standard-webhooks";
import { hint } from "../hints";
import { defineProvider } from "../provider";

export function verifyGitlabToken(input: VerifyInput): VerifyResult {
  const provider = "gitlab";
  const header = getHeader(input.headers, "x-gitlab-token");
  if (header === null) return failResult(provider, [missingHeader("X-Gitlab-Token")]);
  const received = [header];
  const outcome = safeCompare(input.secret, header);
  return buildResult(provider, {
    expected: null,
    received,
    matched: outcome === "equal" ? header : null,
  });
}

function gitlabUsesSigningToken(headers: HeaderList): boolean {
  return getHeader(headers, "x-gitlab-token") === null && getHeader(headers, "webhook-signature") !== null;
}

export const gitlab = defineProvider({
  id: "gitlab",
  name: "GitLab",
  summary: "X-Gitlab-Token: the secret token itself (signing tokens: Standard Webhooks headers).",
  secretLabel: "Secret token (or signing token whsec_…)",
  secretKind: "token",
  verify: (input) => (gitlabUsesSigningToken(input.headers) ? verifyStandardWebhooks(input) : verifyGitlabToken(input)),
  schemeFor: (input) =>
    gitlabUsesSigningToken(input.headers)
      ? {
          secretKind: "whsec-base64",
          toleranceSeconds: STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
          timestampUnit: "s",
          timestampSource: { header: "webhook-timestamp" },
        }
      : {},
  detection: {
    headers: ["x-gitlab-event", "x-gitlab-token", "x-gitlab-event-uuid", "x-gitlab-webhook-uuid", "x-gitlab-instance", "webhook-id"],
    rules: [
      {
        // Before Standard Webhooks (order 140): GitLab signing tokens send its headers too.
        order: 130,
        match: (h) =>
          h.has("x-gitlab-event") || h.has("x-gitlab-token") || h.has("x-gitlab-event-uuid") || h.has("x-gitlab-instance")
            ? hint("high", h.get("x-gitlab-event"), h.get("x-gitlab-event-uuid") ?? h.get("x-gitlab-webhook-uuid") ?? h.get("webhook-id"))
            : null,
      },
    ],
  },
});
