// API tokens for scripts and the CLI: shown once, stored as a sha256 hash, scoped to one workspace
// with a role no higher than the creator's, revocable. Sent as Authorization: Bearer <token>.
import "../runtime/server-only";
import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { atLeast, isRole, type Role } from "../auth/roles";
import { AppError, notFound } from "../errors";
import { audit } from "../audit/audit";
import { API_TOKEN_PREFIX, hashToken } from "../auth/request";
import { newApiTokenId, newSecretToken } from "../runtime/ids";
import { roleSchema } from "../workspaces/workspaces";
import { personalWorkspaceId } from "./users";

export const createTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    workspaceId: z.string().min(1).max(64).optional(),
    role: roleSchema.optional(),
  })
  .strict();

export interface ApiTokenView {
  id: string;
  name: string;
  workspaceId: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Only in the create response. */
  token?: string;
}

function sessionUser(principal: Principal): string {
  if (principal.kind !== "user" || !principal.userId) {
    throw new AppError("session_required", "API tokens are created and managed from a signed-in session.");
  }
  return principal.userId;
}

export async function createApiToken(principal: Principal, input: z.infer<typeof createTokenSchema>): Promise<ApiTokenView> {
  const userId = sessionUser(principal);
  const workspaceId = input.workspaceId ?? (await personalWorkspaceId(userId));
  const mine = principal.roles.get(workspaceId);
  if (!mine) throw notFound("workspace");
  const role = input.role ?? mine;
  if (!atLeast(mine, role)) throw new AppError("insufficient_role", `A token cannot have a higher role than yours (${mine}).`);
  const token = newSecretToken(API_TOKEN_PREFIX);
  const id = newApiTokenId();
  const row = await db().apiToken.create({
    data: {
      id,
      workspaceId,
      userId,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 5),
      role,
    },
  });
  await audit(principal, { workspaceId, action: "token.create", targetType: "token", targetId: id, detail: { name: input.name, role } });
  return { ...viewOf(row), token };
}

function viewOf(r: {
  id: string;
  name: string;
  workspaceId: string;
  role: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}): ApiTokenView {
  return {
    id: r.id,
    name: r.name,
    workspaceId: r.workspaceId,
    role: isRole(r.role) ? r.role : "viewer",
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  };
}

/** The caller's own live tokens. */
export async function listApiTokens(principal: Principal): Promise<ApiTokenView[]> {
  const userId = sessionUser(principal);
  const rows = await db().apiToken.findMany({ where: { userId, revokedAt: null }, orderBy: { createdAt: "desc" } });
  return rows.map(viewOf);
}

/** The owner of a token, or an admin of its workspace, revokes it. */
export async function revokeApiToken(principal: Principal, id: string): Promise<void> {
  const userId = sessionUser(principal);
  const row = await db().apiToken.findUnique({ where: { id } });
  const role = row ? principal.roles.get(row.workspaceId) : undefined;
  if (!row || row.revokedAt || (row.userId !== userId && !(role && atLeast(role, "admin")))) throw notFound("token");
  await db().apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  await audit(principal, {
    workspaceId: row.workspaceId,
    action: "token.revoke",
    targetType: "token",
    targetId: id,
    detail: { name: row.name },
  });
}
