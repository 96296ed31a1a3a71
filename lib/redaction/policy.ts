// Which redaction rules apply to an endpoint's captures: the defaults (secret headers, token-like
// query parameters, URL userinfo), then the workspace's rules, then the endpoint's own.
import "../runtime/server-only";
import { db } from "../db/client";
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

export async function rulesForEndpoint(endpointId: string): Promise<RedactionRule[]> {
  const row = await db().endpoint.findUnique({
    where: { id: endpointId },
    select: { redactionRules: true, workspace: { select: { redactionRules: true } } },
  });
  return combineRules(row?.workspace?.redactionRules ?? null, row?.redactionRules ?? null);
}
