// Which redaction rules apply to an endpoint's captures: the defaults (secret headers, token-like
// query parameters, URL userinfo), then the workspace's rules, then the endpoint's own.
import "../runtime/server-only";
import { db } from "../db/client";
import type { RedactionRule } from "./rules";
import { combineRules } from "./stored-rules";

export { combineRules, parseStoredRules } from "./stored-rules";

export async function rulesForEndpoint(endpointId: string): Promise<RedactionRule[]> {
  const row = await db().endpoint.findUnique({
    where: { id: endpointId },
    select: { redactionRules: true, workspace: { select: { redactionRules: true } } },
  });
  return combineRules(row?.workspace?.redactionRules ?? null, row?.redactionRules ?? null);
}
