// The workspace redaction-rule editor's pure parts: labels, building a rule from the form, and
// turning the API's validation messages ("redactionRules.2.path: …") into "Rule 3 (…): …".
import type { RedactionRule } from "@/lib/redaction/rules";

export type RuleKind = RedactionRule["kind"];

export const RULE_KINDS: { kind: RuleKind; label: string; field: string; placeholder: string; help: string }[] = [
  { kind: "header", label: "Header name", field: "name", placeholder: "X-Customer-*", help: "Masks the value of headers with this name (any case); * is a wildcard." },
  { kind: "json_path", label: "JSON path", field: "path", placeholder: "$.card.number or $..email", help: "Masks values at this path in JSON bodies; $..name matches at any depth, [*] every array item." },
  { kind: "form_field", label: "Form field", field: "name", placeholder: "password", help: "Masks this field in urlencoded and multipart form bodies; * is a wildcard." },
  { kind: "query_param", label: "Query parameter", field: "name", placeholder: "sig", help: "Masks this query-string parameter's value; * is a wildcard." },
  { kind: "regex", label: "Regex", field: "pattern", placeholder: "\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b", help: "RE2 syntax, matched in headers, query and text bodies; a group named mask, (?P<mask>…), limits masking to that group." },
];

export function kindLabel(kind: string): string {
  return RULE_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** The rule's one value as typed (name, path or pattern). */
export function ruleValue(rule: RedactionRule): string {
  switch (rule.kind) {
    case "json_path":
      return rule.path;
    case "regex":
      return rule.pattern;
    default:
      return rule.name;
  }
}

/** A rule from the add form; only emptiness is checked here, everything else is the API's call. */
export function buildRule(kind: RuleKind, rawValue: string, rawFlags = ""): { rule: RedactionRule } | { error: string } {
  const value = kind === "regex" ? rawValue : rawValue.trim();
  if (value === "") return { error: `Enter a ${kindLabel(kind).toLowerCase()}.` };
  switch (kind) {
    case "header":
      return { rule: { kind, name: value } };
    case "json_path":
      return { rule: { kind, path: value } };
    case "form_field":
      return { rule: { kind, name: value } };
    case "query_param":
      return { rule: { kind, name: value } };
    case "regex": {
      const flags = rawFlags.replace(/[\s,]/g, "");
      return { rule: flags ? { kind, pattern: value, flags } : { kind, pattern: value } };
    }
  }
}

export function sameRule(a: RedactionRule, b: RedactionRule): boolean {
  return a.kind === b.kind && ruleValue(a) === ruleValue(b) && (a.kind === "regex" ? a.flags ?? "" : "") === (b.kind === "regex" ? b.flags ?? "" : "");
}

/**
 * "redactionRules.2.path: invalid JSON path: …; redactionRules.0.name: not a header name …"
 * → one line per problem, naming the rule by its number and value as the list shows it.
 * Indices refer to `rules`, the list that was sent.
 */
export function readableRulesError(message: string, rules: readonly RedactionRule[]): { text: string; badIndexes: number[] } {
  const bad = new Set<number>();
  // Messages themselves may hold "; ", so split only where the next problem starts.
  const lines = message.split(/; (?=redactionRules\b)/).map((part) => {
    const m = /^redactionRules\.(\d+)(?:\.[A-Za-z]+)*: (.*)$/s.exec(part);
    if (!m) return part.replace(/^redactionRules: /, "Rules: ");
    const index = Number(m[1]);
    const rule = rules[index];
    bad.add(index);
    const what = rule ? `${kindLabel(rule.kind)} ${ruleValue(rule)}` : "";
    return `Rule ${index + 1}${what ? ` (${what})` : ""}: ${m[2]}`;
  });
  return { text: lines.join("\n"), badIndexes: [...bad].sort((a, b) => a - b) };
}
