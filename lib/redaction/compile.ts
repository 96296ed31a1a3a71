// Turns validated rules into matchers once per rule list (cached by identity, so a page rendering
// many captures with the same list compiles it once). Rule indexes refer to the caller's list, so
// a "masked" entry can name the rule that caused it.
import { parseJsonPath, type PathSegment } from "../body/json-path";
import { buildJsonPathProgram, type JsonPathProgram } from "./json-spans";
import { compileRedactionRegex, type SafeRegex } from "./safe-regex";
import type { RedactionRule } from "./rules";

export class InvalidRedactionRuleError extends Error {
  readonly code = "invalid_redaction_rule";
  constructor(
    readonly rule: number,
    reason: string,
  ) {
    super(`redaction rule ${rule} is invalid: ${reason}`);
  }
}

export interface NameMatcher {
  rule: number;
  test: (name: string) => boolean;
}

export interface CompiledRegex {
  rule: number;
  regex: SafeRegex;
}

export interface CompiledRules {
  headers: NameMatcher[];
  formFields: NameMatcher[];
  queryParams: NameMatcher[];
  regexes: CompiledRegex[];
  jsonPaths: JsonPathProgram | null;
  /**
   * Why these rules cannot be applied safely (a stored regex that breaks today's limits,
   * REGEX_LIMITS in safe-regex.ts), or null. The maskers then fail closed: bodies withheld,
   * header values and queries masked whole.
   */
  failClosed: string | null;
}

// In a leaf module so the dashboard's replay form can match header names without the regex engine.
import { wildcardMatcher } from "./wildcard";
export { wildcardMatcher };

const cache = new WeakMap<readonly RedactionRule[], CompiledRules>();

/**
 * Compiles rules that went through `redactionRulesSchema`. A rule that would not have passed the
 * schema throws InvalidRedactionRuleError: failing closed beats showing a capture half-masked.
 */
export function compileRules(rules: readonly RedactionRule[]): CompiledRules {
  const hit = cache.get(rules);
  if (hit) return hit;
  const out: CompiledRules = { headers: [], formFields: [], queryParams: [], regexes: [], jsonPaths: null, failClosed: null };
  const paths: { rule: number; segments: PathSegment[] }[] = [];
  rules.forEach((r, rule) => {
    switch (r.kind) {
      case "header":
        out.headers.push({ rule, test: wildcardMatcher(r.name) });
        break;
      case "form_field":
        out.formFields.push({ rule, test: wildcardMatcher(r.name) });
        break;
      case "query_param":
        out.queryParams.push({ rule, test: wildcardMatcher(r.name) });
        break;
      case "json_path": {
        const parsed = parseJsonPath(r.path.trim());
        if (!parsed.ok) throw new InvalidRedactionRuleError(rule, parsed.error);
        paths.push({ rule, segments: parsed.segments });
        break;
      }
      case "regex": {
        const c = compileRedactionRegex(r.pattern, r.flags);
        // A stored pattern saved before a limit existed: never run it, never crash on it.
        if (!c.ok) {
          out.failClosed ??= `redaction rule ${rule} is refused: ${c.error}`;
          break;
        }
        out.regexes.push({ rule, regex: c.regex });
        break;
      }
      default:
        throw new InvalidRedactionRuleError(rule, "unknown kind");
    }
  });
  if (paths.length > 0) out.jsonPaths = buildJsonPathProgram(paths);
  cache.set(rules, out);
  return out;
}

export function firstMatch(matchers: readonly NameMatcher[], name: string): number {
  for (const m of matchers) if (m.test(name)) return m.rule;
  return -1;
}
