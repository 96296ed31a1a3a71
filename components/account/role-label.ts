import { atLeast, ROLES, type Role } from "@/lib/auth/roles";

export const ROLE_HELP: Record<Role, string> = {
  viewer: "reads captures (always masked)",
  member: "also creates, changes and deletes endpoints, reveals, replays and shares",
  admin: "also manages members, invites, redaction rules and reads the audit log",
  owner: "also grants the owner role and deletes the workspace",
};

/** Roles from viewer up to and including `max`. */
export function rolesUpTo(max: Role): Role[] {
  return ROLES.filter((r) => atLeast(max, r));
}
