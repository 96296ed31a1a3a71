// How an audit entry reads in the table. Entries hold ids, names and roles, never captured
// values; everything here is rendered as text.
import type { AuditEntry } from "@/lib/audit/audit";

export const AUDIT_ACTIONS = [
  "auth.sign_up",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.password_change",
  "auth.sign_out_everywhere",
  "endpoint.create",
  "endpoint.update",
  "endpoint.delete",
  "endpoint.claim",
  "captures.clear",
  "capture.delete",
  "capture.reveal",
  "capture.export",
  "capture.replay",
  "share.create",
  "share.view",
  "share.revoke",
  "token.create",
  "token.revoke",
  "workspace.create",
  "workspace.update",
  "member.role_change",
  "member.remove",
  "invite.create",
  "invite.revoke",
  "invite.accept",
] as const;

function show(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** "user usr_123", with the name the entry recorded when there is one. */
export function auditTarget(e: Pick<AuditEntry, "target" | "detail">): string {
  if (!e.target) return "";
  const name = typeof e.detail.name === "string" ? e.detail.name : null;
  return name ? `${e.target.type} ${name} (${e.target.id})` : `${e.target.type} ${e.target.id}`;
}

/** The rest of the detail as "key: value" pairs; a role change reads "viewer → admin". */
export function auditDetail(e: Pick<AuditEntry, "detail">): string {
  const parts: string[] = [];
  const { from, to, name: _name, ...rest } = e.detail;
  if (from !== undefined || to !== undefined) parts.push(`${show(from)} → ${show(to)}`);
  for (const [key, value] of Object.entries(rest)) parts.push(`${key}: ${show(value)}`);
  return parts.join("; ");
}
