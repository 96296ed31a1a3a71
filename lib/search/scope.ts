// Which endpoints a search runs over, for a principal, and what each one's captures look like to it:
// one endpoint (its access already decided), or every endpoint of a workspace the caller may read.
// `rules` is the endpoint's redaction when the caller cannot reveal (viewers), so the search confirms on
// the masked document; null for members and up, who may reveal.
import "../runtime/server-only";
import type { Principal } from "../auth/principal";
import { notExpired } from "../auth/principal";
import { can, workspaceRole } from "../auth/roles";
import { db } from "../db/client";
import { combineRules } from "../redaction/policy";
import { rulesForEndpoint } from "../redaction/policy";
import type { RedactionRule } from "../redaction/rules";
import type { EndpointAccess } from "../endpoints/access";
import type { SearchEndpoint } from "./service";

/** One endpoint, for a member whose role on it is decided (lib/endpoints/access.ts). */
export async function endpointScope(access: EndpointAccess): Promise<SearchEndpoint[]> {
  const canReveal = can(access.role, "capture.reveal");
  return targetScope({ endpointId: access.endpointId, canReveal, rules: canReveal ? [] : await rulesForEndpoint(access.endpointId) });
}

/** One endpoint whose access is decided (a member's role or a share link, which never reveals). */
export async function targetScope(target: {
  endpointId: string;
  canReveal: boolean;
  rules: readonly RedactionRule[];
}): Promise<SearchEndpoint[]> {
  const row = await db().endpoint.findUnique({ where: { id: target.endpointId }, select: { alias: true } });
  return [{ id: target.endpointId, alias: row?.alias ?? null, rules: target.canReveal ? null : target.rules }];
}

/** The workspace's live endpoints; not a member → 404 (workspaceRole). */
export async function workspaceScope(principal: Principal, workspaceId: string): Promise<SearchEndpoint[]> {
  const role = workspaceRole(principal, workspaceId, "capture.read");
  const reveal = can(role, "capture.reveal");
  const [endpoints, workspace] = await Promise.all([
    db().endpoint.findMany({
      where: { workspaceId, ...notExpired() },
      select: { id: true, alias: true, redactionRules: true },
      orderBy: { createdAt: "asc" },
    }),
    reveal ? null : db().workspace.findUnique({ where: { id: workspaceId }, select: { redactionRules: true } }),
  ]);
  return endpoints.map((e) => ({
    id: e.id,
    alias: e.alias,
    rules: reveal ? null : combineRules(workspace?.redactionRules ?? null, e.redactionRules),
  }));
}
