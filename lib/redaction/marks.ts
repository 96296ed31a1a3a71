// What a masked value looks like, in one place for the server that masks (mask.ts) and the
// dashboard that words it (components/inspector/masking.ts). Constants only: the browser imports
// this without pulling in the rule compiler.

/** Replaces a whole header value (or the secret part of it). */
export const HEADER_MASK = "••••••";
/** Replaces query and form values and regex matches: ASCII, so it is valid in a URL and a form. */
export const VALUE_MASK = "[REDACTED]";
/** Replaces a matched JSON value of any type, keeping the document valid JSON. */
export const JSON_MASK = `"${VALUE_MASK}"`;
/**
 * How many rules come first in every endpoint's list (rules.ts DEFAULT_REDACTION_RULES: secret
 * headers, token-like query parameters, URL userinfo); the workspace's and the endpoint's own rules
 * follow. rules.ts refuses to load if its list has another length.
 */
export const BUILT_IN_RULE_COUNT = 31;
