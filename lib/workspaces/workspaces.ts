// Workspaces, members and invites. Every function takes the acting principal and checks its role
// in the workspace: not a member → 404, too low a role → 403 insufficient_role.
import "../runtime/server-only";
import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { atLeast, isRole, ROLES, type Role, forbiddenRole } from "../auth/roles";
import { AppError, conflict, notFound } from "../errors";
import { audit } from "../audit/audit";
import { workspaceRole } from "../auth/roles";
import { config } from "../config";
import { hashToken } from "../auth/request";
import { newInviteId, newSecretToken, newWorkspaceId } from "../runtime/ids";
import { redactionRulesSchema, type RedactionRule } from "../redaction/rules";
import { parseStoredRules } from "../redaction/policy";
import { forgetCaptureTarget } from "../endpoints/capture-target";
import { HIDDEN } from "../endpoints/endpoints";
import { enqueueJob } from "../jobs/jobs";
import { endSessionsIfNoSharedWorkspace } from "../auth/sessions";

export const roleSchema = z.enum(ROLES);

export const createWorkspaceSchema = z.object({ name: z.string().trim().min(1).max(120) }).strict();
export const updateWorkspaceSchema = z
  .object({ name: z.string().trim().min(1).max(120).optional(), redactionRules: redactionRulesSchema.optional() })
  .strict();
export const createInviteSchema = z
  .object({ role: roleSchema.default("member"), email: z.string().trim().toLowerCase().email().optional() })
  .strict();
export const changeRoleSchema = z.object({ role: roleSchema }).strict();

export interface WorkspaceView {
  id: string;
  name: string;
  personal: boolean;
  role: Role;
  memberCount: number;
  redactionRules: RedactionRule[];
  createdAt: string;
}

function userOnly(principal: Principal): string {
  if (principal.kind !== "user" || !principal.userId) {
    throw new AppError("session_required", "This needs a signed-in user (API tokens and anonymous visitors cannot do it).");
  }
  return principal.userId;
}

export async function listWorkspaces(principal: Principal): Promise<WorkspaceView[]> {
  const ids = [...principal.roles.keys()];
  if (ids.length === 0) return [];
  const rows = await db().workspace.findMany({
    where: { id: { in: ids } },
    include: { _count: { select: { members: true } } },
    orderBy: [{ personal: "desc" }, { createdAt: "asc" }],
  });
  return rows.map((w) => ({
    id: w.id,
    name: w.name,
    personal: w.personal,
    role: principal.roles.get(w.id)!,
    memberCount: w._count.members,
    redactionRules: parseStoredRules(w.redactionRules),
    createdAt: w.createdAt.toISOString(),
  }));
}

export async function getWorkspace(principal: Principal, id: string): Promise<WorkspaceView> {
  workspaceRole(principal, id, "workspace.read");
  const found = (await listWorkspaces(principal)).find((w) => w.id === id);
  if (!found) throw notFound("workspace");
  return found;
}

export async function createWorkspace(principal: Principal, input: z.infer<typeof createWorkspaceSchema>): Promise<WorkspaceView> {
  const userId = userOnly(principal);
  const id = newWorkspaceId();
  await db().$transaction([
    db().workspace.create({ data: { id, name: input.name, personal: false } }),
    db().membership.create({ data: { workspaceId: id, userId, role: "owner" } }),
  ]);
  await audit(principal, {
    workspaceId: id,
    action: "workspace.create",
    targetType: "workspace",
    targetId: id,
    detail: { name: input.name },
  });
  return { id, name: input.name, personal: false, role: "owner", memberCount: 1, redactionRules: [], createdAt: new Date().toISOString() };
}

export async function updateWorkspace(
  principal: Principal,
  id: string,
  patch: z.infer<typeof updateWorkspaceSchema>,
): Promise<WorkspaceView> {
  workspaceRole(principal, id, "workspace.update");
  await db().workspace.update({
    where: { id },
    data: {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.redactionRules !== undefined && { redactionRules: JSON.stringify(patch.redactionRules) }),
    },
  });
  await audit(principal, {
    workspaceId: id,
    action: "workspace.update",
    targetType: "workspace",
    targetId: id,
    detail: { fields: Object.keys(patch) },
  });
  return getWorkspace(principal, id);
}

/** Owner only; a personal workspace cannot be deleted. Its endpoints and captures go with it. */
export async function deleteWorkspace(principal: Principal, id: string): Promise<void> {
  workspaceRole(principal, id, "workspace.delete");
  const ws = await db().workspace.findUnique({ where: { id }, select: { personal: true, name: true } });
  if (!ws) throw notFound("workspace");
  if (ws.personal) throw new AppError("personal_workspace", "A personal workspace cannot be deleted.");
  const endpoints = await db().endpoint.findMany({ where: { workspaceId: id }, select: { id: true, token: true, alias: true } });
  const members = await db().membership.findMany({
    where: { workspaceId: id, userId: { not: principal.userId ?? "" } },
    select: { userId: true },
  });
  // The audit entry outlives the workspace (workspaceId null, target names it).
  await audit(principal, {
    workspaceId: null,
    action: "workspace.delete",
    targetType: "workspace",
    targetId: id,
    detail: { name: ws.name },
  });
  // Its endpoints leave it first, hidden (lib/endpoints/endpoints.ts HIDDEN), so the workspace's cascade does not
  // delete their captures in one statement; an endpoint.purge job each deletes them in batches.
  await db().endpoint.updateMany({ where: { workspaceId: id }, data: { workspaceId: null, ...HIDDEN() } });
  await db().workspace.delete({ where: { id } });
  for (const e of endpoints) forgetCaptureTarget(e.token, e.alias);
  for (const e of endpoints)
    await enqueueJob({ kind: "endpoint.purge", endpointId: e.id, workspaceId: id, ownerKey: null, createdBy: principal.label });
  // Its members were removed from it: the same rule as removeMember.
  for (const m of members) await endSessionsIfNoSharedWorkspace(m.userId);
}

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export async function listMembers(principal: Principal, workspaceId: string): Promise<MemberView[]> {
  workspaceRole(principal, workspaceId, "workspace.read");
  const rows = await db().membership.findMany({
    where: { workspaceId },
    include: { user: { select: { email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: m.role as Role,
    joinedAt: m.createdAt.toISOString(),
  }));
}

async function ownerCount(workspaceId: string): Promise<number> {
  return db().membership.count({ where: { workspaceId, role: "owner" } });
}

/** Admins manage members below owner; only an owner grants or takes away the owner role. */
export async function changeRole(principal: Principal, workspaceId: string, userId: string, role: Role): Promise<MemberView> {
  const mine = workspaceRole(principal, workspaceId, "member.manage");
  const target = await db().membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
  if (!target || !isRole(target.role)) throw notFound("member");
  if ((role === "owner" || target.role === "owner") && mine !== "owner") throw forbiddenRole("workspace.delete");
  if (target.role === "owner" && role !== "owner" && (await ownerCount(workspaceId)) <= 1) {
    throw new AppError("last_owner", "A workspace needs at least one owner; make someone else owner first.");
  }
  await db().membership.update({ where: { workspaceId_userId: { workspaceId, userId } }, data: { role } });
  await audit(principal, {
    workspaceId,
    action: "member.role_change",
    targetType: "user",
    targetId: userId,
    detail: { from: target.role, to: role },
  });
  const member = (await listMembers(principal, workspaceId)).find((m) => m.userId === userId);
  if (!member) throw notFound("member");
  return member;
}

/** Admins remove members (an owner only by an owner); anyone may leave, except the last owner. */
export async function removeMember(principal: Principal, workspaceId: string, userId: string): Promise<void> {
  const self = principal.kind === "user" && principal.userId === userId;
  const mine = workspaceRole(principal, workspaceId, self ? "workspace.read" : "member.manage");
  const target = await db().membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId } },
    include: { workspace: { select: { personal: true } } },
  });
  if (!target) throw notFound("member");
  if (target.workspace.personal) throw new AppError("personal_workspace", "Nobody can leave or be removed from a personal workspace.");
  if (target.role === "owner" && !self && mine !== "owner") throw forbiddenRole("workspace.delete");
  if (target.role === "owner" && (await ownerCount(workspaceId)) <= 1) {
    throw new AppError("last_owner", "A workspace needs at least one owner; make someone else owner first.");
  }
  await db().$transaction([
    db().membership.delete({ where: { workspaceId_userId: { workspaceId, userId } } }),
    // Their API tokens for this workspace die with the membership.
    db().apiToken.updateMany({ where: { workspaceId, userId, revokedAt: null }, data: { revokedAt: new Date() } }),
  ]);
  // Removed by someone else from their last shared workspace: their sessions end too. Leaving on
  // one's own keeps the session doing it.
  const sessionsEnded = self ? 0 : await endSessionsIfNoSharedWorkspace(userId);
  await audit(principal, {
    workspaceId,
    action: "member.remove",
    targetType: "user",
    targetId: userId,
    detail: { role: target.role, left: self, ...(sessionsEnded > 0 ? { sessionsEnded } : {}) },
  });
}

export interface InviteView {
  id: string;
  workspaceId: string;
  role: Role;
  email: string | null;
  createdAt: string;
  expiresAt: string;
  /** Only in the create response: the single-use link. */
  url?: string;
  token?: string;
}

export async function createInvite(
  principal: Principal,
  workspaceId: string,
  input: z.infer<typeof createInviteSchema>,
): Promise<InviteView> {
  const mine = workspaceRole(principal, workspaceId, "member.manage");
  if (input.role === "owner" && mine !== "owner") throw forbiddenRole("workspace.delete");
  const ws = await db().workspace.findUnique({ where: { id: workspaceId }, select: { personal: true } });
  if (ws?.personal)
    throw new AppError("personal_workspace", "A personal workspace has one member; create a team workspace to invite people.");
  const token = newSecretToken("hs_inv");
  const id = newInviteId();
  const expiresAt = new Date(Date.now() + config().INVITE_TTL);
  await db().invite.create({
    data: { id, workspaceId, tokenHash: hashToken(token), role: input.role, createdById: principal.userId ?? "unknown", expiresAt },
  });
  await audit(principal, { workspaceId, action: "invite.create", targetType: "invite", targetId: id, detail: { role: input.role } });
  return {
    id,
    workspaceId,
    role: input.role,
    email: input.email ?? null,
    createdAt: new Date().toISOString(),
    expiresAt: expiresAt.toISOString(),
    token,
    url: `${config().publicUrl}/invite/${token}`,
  };
}

export async function listInvites(principal: Principal, workspaceId: string): Promise<InviteView[]> {
  workspaceRole(principal, workspaceId, "member.manage");
  const rows = await db().invite.findMany({
    where: { workspaceId, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({
    id: r.id,
    workspaceId,
    role: r.role as Role,
    email: null,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
  }));
}

export async function revokeInvite(principal: Principal, inviteId: string): Promise<void> {
  const row = await db().invite.findUnique({ where: { id: inviteId } });
  if (!row || !principal.roles.has(row.workspaceId)) throw notFound("invite");
  workspaceRole(principal, row.workspaceId, "member.manage");
  await db().invite.update({ where: { id: inviteId }, data: { revokedAt: new Date() } });
  await audit(principal, { workspaceId: row.workspaceId, action: "invite.revoke", targetType: "invite", targetId: inviteId });
}

async function liveInvite(token: string) {
  const row = await db().invite.findUnique({ where: { tokenHash: hashToken(token) }, include: { workspace: { select: { name: true } } } });
  // Used, revoked, expired and unknown all look the same.
  if (!row || row.usedAt || row.revokedAt || row.expiresAt <= new Date()) throw notFound("invite");
  return row;
}

export async function previewInvite(token: string): Promise<{ workspaceName: string; role: Role; expiresAt: string }> {
  const row = await liveInvite(token);
  return { workspaceName: row.workspace.name, role: row.role as Role, expiresAt: row.expiresAt.toISOString() };
}

/** Single use: the first accepting user consumes it (atomically), later ones get a 404. */
export async function acceptInvite(principal: Principal, token: string): Promise<{ workspaceId: string; role: Role }> {
  const userId = userOnly(principal);
  const row = await liveInvite(token);
  const existing = principal.roles.get(row.workspaceId);
  const { count } = await db().invite.updateMany({
    where: { id: row.id, usedAt: null, revokedAt: null },
    data: { usedAt: new Date(), usedById: userId },
  });
  if (count === 0) throw notFound("invite");
  const role = row.role as Role;
  if (existing) {
    // Already a member: an invite can raise the role, never lower it.
    if (!atLeast(existing, role))
      await db().membership.update({ where: { workspaceId_userId: { workspaceId: row.workspaceId, userId } }, data: { role } });
  } else {
    try {
      await db().membership.create({ data: { workspaceId: row.workspaceId, userId, role } });
    } catch (err) {
      if ((err as { code?: string }).code === "P2002") throw conflict("already_member", "You are already a member of this workspace.");
      throw err;
    }
  }
  await audit(principal, {
    workspaceId: row.workspaceId,
    action: "invite.accept",
    targetType: "invite",
    targetId: row.id,
    detail: { role },
  });
  return { workspaceId: row.workspaceId, role: existing && atLeast(existing, role) ? existing : role };
}
