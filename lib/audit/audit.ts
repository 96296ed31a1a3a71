// The audit log: who did what to which target, per workspace. Entries never hold captured values
// (header values, bodies), only ids, names and the kind of action.
import "../runtime/server-only";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { workspaceRole } from "../auth/roles";

export type AuditAction =
  | "auth.sign_up"
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "auth.password_change"
  | "auth.sign_out_everywhere"
  | "endpoint.create"
  | "endpoint.update"
  | "endpoint.delete"
  | "endpoint.claim"
  | "captures.clear"
  | "captures.delete_query"
  | "capture.delete"
  | "capture.reveal"
  | "capture.export"
  | "capture.replay"
  | "share.create"
  | "share.view"
  | "share.revoke"
  | "token.create"
  | "token.revoke"
  | "workspace.create"
  | "workspace.update"
  | "workspace.delete"
  | "member.role_change"
  | "member.remove"
  | "invite.create"
  | "invite.revoke"
  | "invite.accept"
  | "forward.update"
  | "signature.secret_add"
  | "signature.secret_delete"
  | "job.cancel"
  | "view.create"
  | "view.update"
  | "view.delete"
  | "job.finish";

export interface AuditInput {
  workspaceId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export interface Actor {
  actorType: "user" | "token" | "share" | "anonymous" | "system";
  actorId: string | null;
  actorLabel: string;
}

export function actorOf(principal: Principal): Actor {
  if (principal.kind === "token") return { actorType: "token", actorId: principal.tokenId, actorLabel: principal.label };
  if (principal.kind === "user") return { actorType: "user", actorId: principal.userId, actorLabel: principal.label };
  return { actorType: "anonymous", actorId: null, actorLabel: "anonymous" };
}

export async function audit(actor: Actor | Principal, input: AuditInput): Promise<void> {
  const who = "kind" in actor ? actorOf(actor) : actor;
  await db().auditEvent.create({
    data: {
      workspaceId: input.workspaceId,
      ...who,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      detail: JSON.stringify(input.detail ?? {}),
      ip: input.ip ?? null,
    },
  });
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { type: string; id: string | null; label: string };
  action: string;
  target: { type: string; id: string } | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

/** Newest first, paged with ?before=<seq>. Admins and owners only; others get a 404 or 403. */
export async function listAudit(
  principal: Principal,
  workspaceId: string,
  opts: { before?: number; limit?: number; action?: string } = {},
): Promise<{ events: AuditEntry[]; nextBefore: number | null }> {
  workspaceRole(principal, workspaceId, "audit.read");
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  const rows = await db().auditEvent.findMany({
    where: {
      workspaceId,
      ...(opts.before ? { seq: { lt: opts.before } } : {}),
      ...(opts.action ? { action: opts.action } : {}),
    },
    orderBy: { seq: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    events: page.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
      action: r.action,
      target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      ip: r.ip,
    })),
    nextBefore: rows.length > limit ? page[page.length - 1]!.seq : null,
  };
}
