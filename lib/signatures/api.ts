/**
 * What the signature routes call: access checks, audit entries and the shapes the API answers with. Saving and
 * deleting secrets needs `signature.manage` (member); listing them and the stored checks `capture.read`. Verifying
 * one capture is a capture view (lib/capture/service/verify.ts): it verifies what the caller may see.
 */
import type { Principal } from "../auth/principal";
import { audit } from "../audit/audit";
import { endpointAccess } from "../endpoints/access";
import { can } from "../auth/roles";
import { invalidateChecks, listChecks, recheckPending, scheduleRecheck } from "./checks";
import { listProviders } from "./registry";
import { addSecret, deleteSecret, listSecrets, newSecretSchema, type SecretInfo } from "./secrets";

export async function listSecretsFor(principal: Principal, endpointId: string): Promise<{ secrets: SecretInfo[]; canManage: boolean }> {
  const access = await endpointAccess(principal, endpointId, "capture.read");
  return { secrets: await listSecrets(endpointId), canManage: can(access.role, "signature.manage") };
}

const actorId = (p: Principal) => p.userId ?? p.tokenId ?? p.ownerKey ?? "anonymous";

export async function addSecretFor(principal: Principal, endpointId: string, body: unknown, ip: string | null): Promise<SecretInfo> {
  const access = await endpointAccess(principal, endpointId, "signature.manage");
  const input = newSecretSchema.parse(body);
  const saved = await addSecret(endpointId, input, actorId(principal));
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "signature.secret_add",
    targetType: "endpoint",
    targetId: endpointId,
    detail: { secretId: saved.id, provider: saved.provider, label: saved.label, fingerprint: saved.fingerprint },
    ip,
  });
  await invalidateChecks(endpointId);
  return saved;
}

export async function deleteSecretFor(principal: Principal, endpointId: string, secretId: string, ip: string | null): Promise<void> {
  const access = await endpointAccess(principal, endpointId, "signature.manage");
  const gone = await deleteSecret(endpointId, secretId);
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "signature.secret_delete",
    targetType: "endpoint",
    targetId: endpointId,
    detail: { secretId: gone.id, provider: gone.provider, label: gone.label, fingerprint: gone.fingerprint },
    ip,
  });
  await invalidateChecks(endpointId);
}

export async function checksFor(principal: Principal, endpointId: string): Promise<{ checks: Record<string, string>; pending: boolean }> {
  await endpointAccess(principal, endpointId, "capture.read");
  return { checks: await listChecks(endpointId), pending: recheckPending(endpointId) };
}

export async function triggerChecks(principal: Principal, endpointId: string): Promise<{ scheduled: true }> {
  await endpointAccess(principal, endpointId, "signature.manage");
  scheduleRecheck(endpointId);
  return { scheduled: true };
}

/** The provider table for the UI: id, name, what is signed, what to paste, the window and whether the URL is signed. */
export function providerList() {
  return listProviders().map((p) => ({
    id: p.id,
    name: p.name,
    summary: p.summary,
    secretLabel: p.secretLabel,
    secretKind: p.secretKind,
    signsUrl: p.signsUrl,
    toleranceSeconds: p.toleranceSeconds,
  }));
}
