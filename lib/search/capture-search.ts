// The capture routes' searches (GET …/captures?q=, …/captures/count, workspace captures): the query
// parsed, the scope decided (lib/search/scope.ts), then searchPage / countMatches, and the page shown as
// the list shows it (masked query and body facts, signature summaries), per endpoint.
import "../runtime/server-only";
import type { Principal } from "../auth/principal";
import { maskCapturePage } from "../capture/view";
import { db } from "../db/client";
import type { CaptureSummary } from "../model/capture";
import { combineRules } from "../redaction/policy";
import type { RedactionRule } from "../redaction/rules";
import { withSignatures } from "../signatures/summaries";
import { isFiltering, parseSearchQuery, type SearchParams } from "./query-param";
import { targetScope, workspaceScope } from "./scope";
import { type CountResult, countMatches, indexingPending, type SearchPage, searchPage } from "./service";

export interface PageParams extends SearchParams {
  limit: number;
  before?: number;
}

/**
 * Who searches one endpoint, as the access decision (lib/capture/service/access.ts CaptureAccess, member or
 * share link) states it: a caller who cannot reveal confirms every candidate on the masked document.
 */
export interface SearchTarget {
  endpointId: string;
  canReveal: boolean;
  rules: readonly RedactionRule[];
}

/** A search page of one endpoint, or null when nothing filters (the plain list answers). */
export async function searchEndpointCaptures(target: SearchTarget, params: PageParams): Promise<SearchPage | null> {
  const query = parseSearchQuery(params);
  if (!isFiltering(query)) return null;
  const endpoints = await targetScope(target);
  return searchPage({ endpoints, query, limit: params.limit, before: params.before, indexing: await indexingPending([target.endpointId]) });
}

export async function countEndpointCaptures(target: SearchTarget, params: SearchParams): Promise<CountResult> {
  const query = parseSearchQuery(params);
  const endpoints = await targetScope(target);
  return countMatches({ endpoints, query, indexing: await indexingPending([target.endpointId]) });
}

export type WorkspaceCapture = CaptureSummary & { endpoint: { id: string; name: string; alias: string | null } };

/** Workspace-wide search: every live endpoint of the workspace the caller may read; each capture names its endpoint. */
export async function searchWorkspaceCaptures(
  principal: Principal,
  workspaceId: string,
  params: PageParams,
): Promise<SearchPage & { captures: WorkspaceCapture[] }> {
  const endpoints = await workspaceScope(principal, workspaceId);
  const query = parseSearchQuery(params);
  const ids = endpoints.map((e) => e.id);
  const page = await searchPage({ endpoints, query, limit: params.limit, before: params.before, indexing: await indexingPending(ids) });
  return { ...page, captures: await shownAcross(page.captures) };
}

/** The list's view of captures from several endpoints (each through its own rules), in the page's order. */
async function shownAcross(captures: readonly CaptureSummary[]): Promise<WorkspaceCapture[]> {
  const rows = await db().endpoint.findMany({
    where: { id: { in: [...new Set(captures.map((c) => c.endpointId))] } },
    select: { id: true, name: true, alias: true, redactionRules: true, workspace: { select: { redactionRules: true } } },
  });
  const byEndpoint = new Map<string, CaptureSummary>();
  for (const e of rows) {
    const own = captures.filter((c) => c.endpointId === e.id);
    // List rows are masked for everyone (revealing is the detail's own, audited request), as on the endpoint list.
    const rules = combineRules(e.workspace?.redactionRules ?? null, e.redactionRules);
    const shown = await maskCapturePage({ captures: own, nextBefore: null }, rules);
    for (const c of await withSignatures(e.id, shown.captures, rules)) byEndpoint.set(c.id, c);
  }
  const meta = new Map(rows.map((e) => [e.id, { id: e.id, name: e.name, alias: e.alias }]));
  return captures.flatMap((c) => {
    const shown = byEndpoint.get(c.id);
    return shown ? [{ ...shown, endpoint: meta.get(c.endpointId)! }] : [];
  });
}
