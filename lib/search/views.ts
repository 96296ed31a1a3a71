// Saved views: a name and an HQL query, kept for one endpoint or for a whole workspace. Who may
// see a view is who may see its scope (the endpoint, or the workspace); a view outside it is not
// found (404, the same answer as a missing id). Viewers list them; members and up save, rename
// and delete them. Every change is audited (names and ids only, never captured values).
import "../runtime/server-only";
import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { workspaceRole } from "../auth/roles";
import { endpointAccess } from "../endpoints/access";
import { audit } from "../audit/audit";
import { AppError, conflict, notFound } from "../errors";
import { config } from "../config";
import { randomToken } from "../runtime/ids";
import { MAX_QUERY_LENGTH } from "./hql/lexer";
import { parseSearchQuery } from "./query-param";

/** Enough for a team's shelf of searches; a bound so a script cannot fill a table. */
export const MAX_VIEWS_PER_SCOPE = 200;

const nameSchema = z.string().trim().min(1, "A view needs a name.").max(100);
const querySchema = z.string().max(MAX_QUERY_LENGTH);

export const createViewSchema = z.object({ name: nameSchema, query: querySchema });
export const updateViewSchema = z
  .object({ name: nameSchema.optional(), query: querySchema.optional() })
  .refine((v) => v.name !== undefined || v.query !== undefined, "Give a name or a query to change.");

export type ViewScope = { kind: "endpoint"; id: string } | { kind: "workspace"; id: string };

export interface SavedViewData {
  id: string;
  name: string;
  query: string;
  endpointId: string | null;
  workspaceId: string | null;
  /** The dashboard with this query (`?q=`). */
  url: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  name: string;
  query: string;
  endpointId: string | null;
  workspaceId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The dashboard page of a view's scope with its query; a workspace view opens the workspace's search. */
export function viewUrl(scope: ViewScope, query: string): string {
  const page = scope.kind === "endpoint" ? `/e/${encodeURIComponent(scope.id)}` : `/w/${encodeURIComponent(scope.id)}`;
  return `${config().publicUrl}${page}?${new URLSearchParams({ q: query })}`;
}

/** A query must parse to be saved: the same 422 invalid_query (position, end, expected, suggestions) as the search API's. */
function checkQuery(query: string): void {
  parseSearchQuery({ q: query });
}

const scopeKey = (scope: ViewScope) => `${scope.kind === "endpoint" ? "e" : "w"}:${scope.id}`;

function toData(scope: ViewScope, r: Row): SavedViewData {
  return {
    id: r.id,
    name: r.name,
    query: r.query,
    endpointId: r.endpointId,
    workspaceId: r.workspaceId,
    url: viewUrl(scope, r.query),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * Checks the principal may read (or manage) the scope and returns its workspace. Not visible →
 * 404; visible with too low a role → 403 insufficient_role (as endpoint settings answer).
 */
async function scopeAccess(principal: Principal, scope: ViewScope, manage: boolean): Promise<{ workspaceId: string | null }> {
  if (scope.kind === "endpoint") {
    const access = await endpointAccess(principal, scope.id, manage ? "view.manage" : "endpoint.read");
    return { workspaceId: access.workspaceId };
  }
  workspaceRole(principal, scope.id, manage ? "view.manage" : "workspace.read");
  return { workspaceId: scope.id };
}

const select = { id: true, name: true, query: true, endpointId: true, workspaceId: true, createdAt: true, updatedAt: true } as const;

export async function listViews(principal: Principal, scope: ViewScope): Promise<SavedViewData[]> {
  await scopeAccess(principal, scope, false);
  const rows = await db().savedView.findMany({ where: { scope: scopeKey(scope) }, orderBy: { name: "asc" }, select });
  return rows.map((r) => toData(scope, r));
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

const nameTaken = (name: string) => conflict("view_name_taken", `A view named "${name}" already exists here.`);

export async function createView(
  principal: Principal,
  scope: ViewScope,
  input: z.infer<typeof createViewSchema>,
  ip: string | null,
): Promise<SavedViewData> {
  const { workspaceId } = await scopeAccess(principal, scope, true);
  checkQuery(input.query);
  const key = scopeKey(scope);
  if ((await db().savedView.count({ where: { scope: key } })) >= MAX_VIEWS_PER_SCOPE)
    throw new AppError("invalid_request", `At most ${MAX_VIEWS_PER_SCOPE} views can be saved here.`);
  let row: Row;
  try {
    row = await db().savedView.create({
      data: {
        id: `sv_${randomToken(12)}`,
        workspaceId,
        endpointId: scope.kind === "endpoint" ? scope.id : null,
        scope: key,
        name: input.name,
        query: input.query,
        createdById: principal.userId ?? principal.tokenId,
      },
      select,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
  await audit(principal, { workspaceId, action: "view.create", targetType: "view", targetId: row.id, detail: detailOf(scope, row), ip });
  return toData(scope, row);
}

export async function updateView(
  principal: Principal,
  scope: ViewScope,
  viewId: string,
  patch: z.infer<typeof updateViewSchema>,
  ip: string | null,
): Promise<SavedViewData> {
  const { workspaceId } = await scopeAccess(principal, scope, true);
  if (patch.query !== undefined) checkQuery(patch.query);
  // Scoped in the where clause: a view of another endpoint or workspace is simply not found.
  const where = { id: viewId, scope: scopeKey(scope) };
  if (!(await db().savedView.findFirst({ where, select: { id: true } }))) throw notFound("view");
  let row: Row;
  try {
    row = await db().savedView.update({ where, data: { name: patch.name, query: patch.query }, select });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(patch.name ?? "");
    throw err;
  }
  await audit(principal, { workspaceId, action: "view.update", targetType: "view", targetId: row.id, detail: detailOf(scope, row), ip });
  return toData(scope, row);
}

export async function deleteView(principal: Principal, scope: ViewScope, viewId: string, ip: string | null): Promise<void> {
  const { workspaceId } = await scopeAccess(principal, scope, true);
  const row = await db().savedView.findFirst({ where: { id: viewId, scope: scopeKey(scope) }, select });
  if (!row) throw notFound("view");
  await db().savedView.deleteMany({ where: { id: viewId, scope: scopeKey(scope) } });
  await audit(principal, { workspaceId, action: "view.delete", targetType: "view", targetId: row.id, detail: detailOf(scope, row), ip });
}

/** The audit detail: the view's name and scope; not the query, which may quote a secret value someone searched for. */
function detailOf(scope: ViewScope, row: Row) {
  return { name: row.name, [scope.kind === "endpoint" ? "endpointId" : "workspaceId"]: scope.id };
}
