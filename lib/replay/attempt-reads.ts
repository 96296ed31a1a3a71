// Reading stored attempts for the API routes: access through the attempt's capture (404 `attempt` outside it),
// masked unless revealed, reveals audited.
import type { Principal } from "../auth/principal";
import { audit } from "../audit/audit";
import { captureAccess } from "../endpoints/access";
import { AppError, notFound } from "../errors";
import { rulesForEndpoint } from "../redaction/policy";
import { attemptParts, attemptView, findAttemptRow, type AttemptView } from "./attempts";

/** An attempt the principal may act on (its capture's access rules); 404 `attempt` otherwise. */
export async function attemptAccess(principal: Principal, id: string, action: "capture.read" | "capture.reveal") {
  const row = await findAttemptRow(id);
  if (!row) throw notFound("attempt");
  try {
    const access = await captureAccess(principal, row.captureId, action);
    return { row, access };
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw notFound("attempt");
    throw err;
  }
}

export async function auditReveal(
  principal: Principal,
  access: { workspaceId: string | null; endpointId: string },
  attemptId: string,
  part: string,
  ip: string | null,
) {
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "capture.reveal",
    targetType: "attempt",
    targetId: attemptId,
    detail: { endpointId: access.endpointId, part },
    ip,
  });
}

export async function getAttempt(principal: Principal, id: string, opts: { reveal: boolean; ip: string | null }): Promise<AttemptView> {
  const { row, access } = await attemptAccess(principal, id, opts.reveal ? "capture.reveal" : "capture.read");
  if (opts.reveal) await auditReveal(principal, access, id, "attempt", opts.ip);
  return attemptView(row, opts.reveal ? null : await rulesForEndpoint(access.endpointId), true);
}

export async function attemptBody(
  principal: Principal,
  id: string,
  opts: { part: "request" | "response"; reveal: boolean; ip: string | null },
): Promise<{ body: Uint8Array; masked: boolean }> {
  const { row, access } = await attemptAccess(principal, id, opts.reveal ? "capture.reveal" : "capture.read");
  if (opts.reveal) await auditReveal(principal, access, id, `${opts.part}_body`, opts.ip);
  const parts = await attemptParts(row, opts.reveal ? null : await rulesForEndpoint(access.endpointId));
  if (opts.part === "request") return { body: parts.request.body, masked: parts.masked };
  if (!parts.response) throw new AppError("not_found", "This attempt has no response (it failed before one arrived).");
  return { body: parts.response.body, masked: parts.masked };
}
