// Which redaction rules apply to an endpoint's captures: the defaults (secret headers, token-like
// query parameters, URL userinfo), then the workspace's rules, then the endpoint's own.
import "../runtime/server-only";
import { db } from "../db/client";
import { DEFAULT_REDACTION_RULES, redactionRulesSchema, type RedactionRule } from "./rules";
import { log } from "../runtime/log";

export function parseStoredRules(json: string | null | undefined): RedactionRule[] {
  if (!json) return [];
  const parsed = redactionRulesSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    // Rules are validated when saved; a stored rule that no longer parses is skipped, not fatal.
    log().warn({ issues: parsed.error.issues.length }, "stored redaction rules did not validate");
    return [];
  }
  return parsed.data;
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
