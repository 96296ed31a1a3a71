// The workspace redaction-rule editor's pure parts: labels, building a rule from the form, and
// turning the API's validation issues (["redactionRules", 2, "path"]) into "Rule 3 (…): …".
import type { RedactionRule } from "@/lib/redaction/rules";
import type { ApiIssue } from "../api-client";

export type RuleKind = RedactionRule["kind"];

export const RULE_KINDS: { kind: RuleKind; label: string; field: string; placeholder: string; help: string }[] = [
  {
    kind: "header",
    label: "Header name",
    field: "name",
    placeholder: "X-Customer-*",
    help: "Masks the value of headers with this name (any case); * is a wildcard.",
  },
  {
    kind: "json_path",
    label: "JSON path",
    field: "path",
    placeholder: "$.card.number or $..email",
    help: "Masks values at this path in JSON bodies; $..name matches at any depth, [*] every array item.",
  },
  {
    kind: "form_field",
    label: "Form field",
    field: "name",
    placeholder: "password",
    help: "Masks this field in urlencoded and multipart form bodies; * is a wildcard.",
  },
  {
    kind: "query_param",
    label: "Query parameter",
    field: "name",
    placeholder: "sig",
    help: "Masks this query-string parameter's value; * is a wildcard.",
  },
  {
    kind: "regex",
    label: "Regex",
    field: "pattern",
    placeholder: "\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b",
    help: "RE2 syntax, matched in headers, query and text bodies; a group named mask, (?P<mask>…), limits masking to that group.",
  },
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
  return (
    a.kind === b.kind &&
    ruleValue(a) === ruleValue(b) &&
    (a.kind === "regex" ? (a.flags ?? "") : "") === (b.kind === "regex" ? (b.flags ?? "") : "")
  );
}

/**
 * The API's issues for a rules save (paths like ["redactionRules", 2, "path"]) → one line per problem,
 * naming the rule by its number and value as the list shows it. Indices refer to `rules`, the list
 * that was sent. An error without issues (a refusal, not a validation) passes through as its message.
 */
export function readableRulesError(
  error: { message: string; issues: readonly ApiIssue[] },
  rules: readonly RedactionRule[],
): { text: string; badIndexes: number[] } {
  if (error.issues.length === 0) return { text: error.message, badIndexes: [] };
  const bad = new Set<number>();
  const lines = error.issues.map(({ path, message }) => {
    const index = path[0] === "redactionRules" ? path[1] : undefined;
    if (typeof index !== "number") return path[0] === "redactionRules" ? `Rules: ${message}` : message;
    const rule = rules[index];
    bad.add(index);
    const what = rule ? `${kindLabel(rule.kind)} ${ruleValue(rule)}` : "";
    return `Rule ${index + 1}${what ? ` (${what})` : ""}: ${message}`;
  });
  return { text: lines.join("\n"), badIndexes: [...bad].sort((a, b) => a - b) };
}
