// The default secret headers that are credentials: they grant access (a bearer token, a session cookie, an API
// key), where a signature header only proves integrity. The masking hides them by default (rules.ts builds
// DEFAULT_SECRET_HEADERS from this list plus the signature headers), and replays treat exactly these as credentials:
// left out unless "include credentials", never sent on to another origin by a redirect (lib/replay/policy.ts,
// lib/replay/send.ts, the replay form). One list for both, so a header added here is masked and withheld alike.
// Only the name matcher is imported, so the browser bundle can use it.
import { wildcardMatcher } from "./wildcard";

export const DEFAULT_CREDENTIAL_HEADERS = [
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Set-Cookie",
  "X-Api-Key",
  "*-Token",
  "*-Secret",
] as const;

const matchers = DEFAULT_CREDENTIAL_HEADERS.map((pattern) => wildcardMatcher(pattern));

/** A credential header by the masking's default list (case-insensitive; `*-Token` matches X-Gitlab-Token…). */
export function isCredentialHeader(name: string): boolean {
  return matchers.some((test) => test(name));
}
