/**
 * GitLab (classic): `X-Gitlab-Token` is the plain secret token, compared constant-time with the configured secret.
 * `expected` is left null so the secret is never echoed back in the result.
 */
import { buildResult, failResult, getHeader, missingHeader, safeCompare } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

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
