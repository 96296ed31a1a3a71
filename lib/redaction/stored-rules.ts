// Stored redaction rules read back (the defaults, then the workspace's, then the endpoint's), without the
// database: the capture door's thread uses this and never loads the Prisma client (policy.ts does).
import "../runtime/server-only";
import { DEFAULT_REDACTION_RULES, redactionRuleSchema, type RedactionRule } from "./rules";
import { log } from "../runtime/log";

/**
 * Stored rules, each validated again. Rules are validated when saved; one that no longer validates
 * is skipped, not fatal, except a regex rule refused by today's limits (REGEX_LIMITS): that one is
 * kept as stored so that masking fails closed on it (compile.ts failClosed) rather than showing
 * what it was meant to hide.
 */
export function parseStoredRules(json: string | null | undefined): RedactionRule[] {
  if (!json) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = null;
  }
  if (!Array.isArray(raw)) {
    log().warn({}, "stored redaction rules are not a list");
    return [];
  }
  const out: RedactionRule[] = [];
  let skipped = 0;
  for (const item of raw) {
    const parsed = redactionRuleSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else if (isStoredRegex(item))
      out.push({ kind: "regex", pattern: item.pattern, ...(typeof item.flags === "string" ? { flags: item.flags } : {}) });
    else skipped++;
  }
  if (skipped > 0 || out.length !== raw.length) log().warn({ skipped }, "stored redaction rules did not validate");
  return out;
}

function isStoredRegex(item: unknown): item is { kind: "regex"; pattern: string; flags?: unknown } {
  return (
    typeof item === "object" &&
    item !== null &&
    (item as { kind?: unknown }).kind === "regex" &&
    typeof (item as { pattern?: unknown }).pattern === "string"
  );
}

export function combineRules(workspaceRules: string | null, endpointRules: string | null): RedactionRule[] {
  return [...DEFAULT_REDACTION_RULES, ...parseStoredRules(workspaceRules), ...parseStoredRules(endpointRules)];
}
