// Workspace roles and what each may do. One table, checked on the server for every action.
import { AppError, notFound } from "../errors";
import type { Principal } from "./principal";
export const ROLES = ["viewer", "member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** The lower of two roles (an API token never exceeds its creator's current role). */
export function lowerOf(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/**
 * Every action the API checks, with the lowest role allowed to take it.
 * - viewer (support staff): reads captures, always masked; no replay, delete, unmasked export or settings.
 * - member: everything on endpoints (create, settings, delete, share, reveal, replay, saved views).
 * - admin: also members, invites and the audit log, and workspace settings.
 * - owner: also deletes the workspace.
 */
export const ACTIONS = {
  "endpoint.read": "viewer",
  "capture.read": "viewer",
  "endpoint.create": "member",
  "endpoint.update": "member",
  "endpoint.delete": "member",
  "capture.delete": "member",
  "capture.reveal": "member",
  "capture.replay": "member",
  "share.manage": "member",
  "signature.manage": "member",
  "view.manage": "member",
  "token.manage": "viewer",
  "workspace.read": "viewer",
  "workspace.update": "admin",
  "member.manage": "admin",
  "audit.read": "admin",
  "workspace.delete": "owner",
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTIONS;

export function can(role: Role, action: Action): boolean {
  return atLeast(role, ACTIONS[action]);
}

/** A member of the workspace whose role is too low: a 403 that names the role needed. */
export function forbiddenRole(action: Action): AppError {
  return new AppError("insufficient_role", `This needs the ${ACTIONS[action]} role or higher in the workspace.`);
}

/** Workspace-level check: not a member → 404; member below the needed role → 403. */
export function workspaceRole(principal: Principal, workspaceId: string, action: Action): Role {
  const role = principal.roles.get(workspaceId);
  if (!role) throw notFound("workspace");
  if (!can(role, action)) throw forbiddenRole(action);
  return role;
}
