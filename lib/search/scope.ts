// Which endpoints a search runs over, for a principal, and what each one's captures look like to it:
// one endpoint (its access already decided), or every endpoint of a workspace the caller may read.
// `rules` is the endpoint's redaction when the caller cannot reveal (viewers), so the search confirms on
// the masked document; null for members and up, who may reveal.
import "../runtime/server-only";
import type { Principal } from "../auth/principal";
import { notExpired } from "../auth/principal";
import { can, workspaceRole } from "../auth/roles";
import { db } from "../db/client";
import type { EndpointAccess } from "../endpoints/access";
import { combineRules } from "../redaction/policy";
import { rulesForEndpoint } from "../redaction/policy";
import type { SearchEndpoint } from "./service";

export async function endpointScope(access: EndpointAccess): Promise<SearchEndpoint[]> {
  const row = await db().endpoint.findUnique({ where: { id: access.endpointId }, select: { alias: true } });
  const rules = can(access.role, "capture.reveal") ? null : await rulesForEndpoint(access.endpointId);
  return [{ id: access.endpointId, alias: row?.alias ?? null, rules }];
}

/** A share link: never revealed, so always masked. */
export async function shareScope(endpointId: string): Promise<SearchEndpoint[]> {
  const row = await db().endpoint.findUnique({ where: { id: endpointId }, select: { alias: true } });
  return [{ id: endpointId, alias: row?.alias ?? null, rules: await rulesForEndpoint(endpointId) }];
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
