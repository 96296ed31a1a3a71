// Redaction rules: what the accounts work stores per workspace and endpoint, validated here once so
// the masking functions can trust them. Masking is for display, share links, exports and (opt-in)
// ingest; the stored capture keeps the original bytes unless an endpoint redacts at ingest.
import { z } from "zod";
import { parseJsonPath } from "../body/json-path";
import { compileRedactionRegex, REGEX_LIMITS } from "./safe-regex";
import { DEFAULT_CREDENTIAL_HEADERS } from "./credential-headers";
import { BUILT_IN_RULE_COUNT } from "./marks";

export const REDACTION_LIMITS = {
  /** Regexes only see this many leading bytes of a text body (and of any one value). */
  regexTextBytes: 1024 * 1024,
  /** Matches per regex rule per text; the rest of that text is left as is. */
  regexMatches: 10_000,
  maxRules: 200,
};

// Header names are RFC 9110 tokens; `*` (itself a token character) is the wildcard.
const headerName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "not a header name (letters, digits and !#$%&'*+-.^_`|~; * is a wildcard)");

// Regex rules use RE2 syntax (see safe-regex.ts); a group named `mask` limits masking to that group.
// Form fields and query parameters: the decoded name; `*` is a wildcard here too.
const fieldName = z.string().min(1).max(200);

export const headerRuleSchema = z.object({ kind: z.literal("header"), name: headerName });

export const jsonPathRuleSchema = z.object({
  kind: z.literal("json_path"),
  path: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .superRefine((path, ctx) => {
      const r = parseJsonPath(path);
      if (!r.ok) ctx.addIssue({ code: "custom", message: `invalid JSON path: ${r.error}` });
    }),
});

export const formFieldRuleSchema = z.object({ kind: z.literal("form_field"), name: fieldName });

export const queryParamRuleSchema = z.object({ kind: z.literal("query_param"), name: fieldName });

export const regexRuleSchema = z
  .object({
    kind: z.literal("regex"),
    pattern: z.string().min(1).max(500),
    flags: z.string().max(4).optional(),
  })
  .superRefine((rule, ctx) => {
    const r = compileRedactionRegex(rule.pattern, rule.flags);
    if (!r.ok) ctx.addIssue({ code: "custom", path: ["pattern"], message: `regex refused: ${r.error}` });
  });

export const redactionRuleSchema = z.discriminatedUnion("kind", [
  headerRuleSchema,
  jsonPathRuleSchema,
  formFieldRuleSchema,
  queryParamRuleSchema,
  regexRuleSchema,
]);

export const redactionRulesSchema = z
  .array(redactionRuleSchema)
  .max(REDACTION_LIMITS.maxRules)
  .superRefine((rules, ctx) => {
    // All of a list's regexes together: their programs run over the same text.
    let total = 0;
    for (const r of rules) {
      if (r.kind !== "regex") continue;
      const c = compileRedactionRegex(r.pattern, r.flags);
      if (c.ok) total += c.regex.programSize;
    }
    if (total > REGEX_LIMITS.maxTotalProgramSize) {
      ctx.addIssue({
        code: "custom",
        message: `regex rules compile to ${total} instructions together (at most ${REGEX_LIMITS.maxTotalProgramSize})`,
      });
    }
  });

export type RedactionRule = z.infer<typeof redactionRuleSchema>;
export type HeaderRule = z.infer<typeof headerRuleSchema>;
export type JsonPathRule = z.infer<typeof jsonPathRuleSchema>;
export type FormFieldRule = z.infer<typeof formFieldRuleSchema>;
export type QueryParamRule = z.infer<typeof queryParamRuleSchema>;
export type RegexRule = z.infer<typeof regexRuleSchema>;

/**
 * Masked by default: the credentials (credential-headers.ts; replays withhold those too), then the signature
 * headers, which replays keep (a MAC reveals no key and the receiver needs it to verify the replay).
 * `*-Signature` covers any provider's signature header (`X-Acme-Signature`), not only the ones named here: with
 * the body it lets anyone who sees it replay the delivery (until its window closes), so it is not shown to whoever
 * reads the capture. The names below it stay listed for the providers whose headers do not end in `-Signature`.
 */
export const DEFAULT_SECRET_HEADERS = [
  ...DEFAULT_CREDENTIAL_HEADERS,
  "*-Signature",
  "Stripe-Signature",
  "X-Hub-Signature",
  "X-Hub-Signature-256",
  "X-Shopify-Hmac-Sha256",
  "X-Slack-Signature",
  "X-Twilio-Signature",
  "Webhook-Signature",
  "Svix-Signature",
  "X-Signature-Ed25519",
  "Twitch-Eventsub-Message-Signature",
  "Paddle-Signature",
  "X-Square-Hmacsha256-Signature",
  "Linear-Signature",
  "Typeform-Signature",
  "Calendly-Webhook-Signature",
  "X-Gitlab-Token",
  "X-Zm-Signature",
  "X-Hubspot-Signature-V3",
] as const;

export const DEFAULT_SECRET_QUERY_PARAMS = ["token", "key", "api_key", "access_token"] as const;

/**
 * URL userinfo (`scheme://user:pass@host`, `https://TOKEN@host`): only the `mask` group (the
 * userinfo) is masked, so the scheme and host stay readable. Applies to header values, the query
 * and text bodies.
 */
export const URL_USERINFO_PATTERN = String.raw`\b[A-Za-z][A-Za-z0-9+.\-]{0,30}://(?P<mask>[^\s/?#@"'<>\\]+)@`;

/** Applied in views, share links and exports unless a workspace opts out. */
export const DEFAULT_REDACTION_RULES: readonly RedactionRule[] = Object.freeze([
  ...DEFAULT_SECRET_HEADERS.map((name): RedactionRule => ({ kind: "header", name })),
  ...DEFAULT_SECRET_QUERY_PARAMS.map((name): RedactionRule => ({ kind: "query_param", name })),
  { kind: "regex", pattern: URL_USERINFO_PATTERN },
]);
// The dashboard tells built-in rules from the workspace's by position (marks.ts).
if (DEFAULT_REDACTION_RULES.length !== BUILT_IN_RULE_COUNT) {
  throw new Error(`marks.ts BUILT_IN_RULE_COUNT is ${BUILT_IN_RULE_COUNT}; the built-in list has ${DEFAULT_REDACTION_RULES.length}`);
}
