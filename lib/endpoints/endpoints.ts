import "../runtime/server-only";
import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { ownedBy, roleOn } from "../auth/principal";
import type { Role } from "../auth/roles";
import { config } from "../config";
import { conflict, notFound } from "../errors";
import { audit } from "../audit/audit";
import { redactionRulesSchema, type RedactionRule } from "../redaction/rules";
import { parseStoredRules } from "../redaction/policy";
import { workspaceRole } from "../auth/roles";
import { endpointAccess } from "./access";
import { newCaptureToken, newEndpointId } from "../runtime/ids";
import { DEFAULT_RULE, responseRuleSchema, ruleOf, type ResponseRule } from "./response-rule";
import { forgetCaptureTarget } from "./capture-target";
import { ACTIVE_STATES, enqueueJob, type JobView } from "../jobs/jobs";
import { countUpTo, endpointSeqs, purge } from "../jobs/purge";

export const ALIAS_PATTERN = /^[a-z0-9-]{4,64}$/;
const aliasSchema = z.string().regex(ALIAS_PATTERN, "alias must be 4-64 characters of a-z, 0-9 and -");

export const createEndpointSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    alias: aliasSchema.nullable().optional(),
    response: responseRuleSchema.partial().optional(),
    /** Extra redaction rules for this endpoint's captures (on top of the defaults and the workspace's). */
    redactionRules: redactionRulesSchema.optional(),
    /** Mask secrets in the stored bytes themselves; signatures can then no longer be verified. */
    redactAtIngest: z.boolean().optional(),
  })
  .strict();

export const createEndpointInputSchema = createEndpointSchema.extend({
  /** The workspace to create it in (default: the personal workspace, or the API token's). */
  workspaceId: z.string().min(1).max(64).optional(),
});

export const updateEndpointSchema = createEndpointSchema;

export interface EndpointView {
  id: string;
  token: string;
  alias: string | null;
  url: string;
  aliasUrl: string | null;
  name: string;
  createdAt: string;
  /** When an anonymous endpoint and its captures are deleted; null when kept. */
  expiresAt: string | null;
  response: ResponseRule;
  /** null while anonymous (owned by the visitor's cookie, expiring). */
  workspaceId: string | null;
  /** The caller's role on this endpoint. */
  role: Role;
  redaction: { rules: RedactionRule[]; atIngest: boolean };
}

type EndpointRow = {
  id: string;
  token: string;
  alias: string | null;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  responseStatus: number;
  responseHeaders: string;
  responseBody: string | null;
  responseDelayMs: number;
  workspaceId: string | null;
  ownerKey: string;
  redactionRules: string;
  redactAtIngest: boolean;
};

export function captureUrl(tokenOrAlias: string): string {
  return `${config().captureBaseUrl}/in/${tokenOrAlias}`;
}

function view(row: EndpointRow, role: Role): EndpointView {
  return {
    id: row.id,
    token: row.token,
    alias: row.alias,
    url: captureUrl(row.token),
    aliasUrl: row.alias ? captureUrl(row.alias) : null,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    response: ruleOf(row),
    workspaceId: row.workspaceId,
    role,
    redaction: { rules: parseStoredRules(row.redactionRules), atIngest: row.redactAtIngest },
  };
}

function redactionColumns(input: { redactionRules?: RedactionRule[]; redactAtIngest?: boolean }) {
  return {
    ...(input.redactionRules !== undefined && { redactionRules: JSON.stringify(input.redactionRules) }),
    ...(input.redactAtIngest !== undefined && { redactAtIngest: input.redactAtIngest }),
  };
}

function ruleColumns(rule: Partial<ResponseRule> | undefined) {
  if (!rule) return {};
  return {
    ...(rule.status !== undefined && { responseStatus: rule.status }),
    ...(rule.headers !== undefined && { responseHeaders: JSON.stringify(rule.headers) }),
    ...(rule.body !== undefined && { responseBody: rule.body }),
    ...(rule.delayMs !== undefined && { responseDelayMs: Math.min(rule.delayMs, config().MAX_RESPONSE_DELAY_MS) }),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

async function assertAliasFree(alias: string | null | undefined) {
  if (!alias) return;
  // Aliases share the capture path with tokens; refuse one that equals an existing token.
  const clash = await db().endpoint.findFirst({ where: { OR: [{ token: alias }, { alias }] }, select: { id: true } });
  if (clash) throw conflict("alias_taken", `The alias "${alias}" is already in use.`);
}

/**
 * Signed-in users and API tokens create in a workspace (the personal one by default) and need the
 * member role there; a visitor without an account creates an anonymous endpoint that expires.
 */
export async function createEndpoint(
  principal: Principal,
  input: z.infer<typeof createEndpointInputSchema>,
  defaultWorkspaceId?: string,
): Promise<EndpointView> {
  let workspaceId: string | null = null;
  let role: Role = "owner";
  if (principal.kind !== "anonymous") {
    workspaceId = input.workspaceId ?? defaultWorkspaceId ?? [...principal.roles.keys()][0] ?? null;
    if (!workspaceId) throw notFound("workspace");
    role = workspaceRole(principal, workspaceId, "endpoint.create");
  } else if (input.workspaceId) {
    throw notFound("workspace");
  }
  await assertAliasFree(input.alias);
  try {
    const row = await db().endpoint.create({
      data: {
        id: newEndpointId(),
        token: newCaptureToken(),
        alias: input.alias ?? null,
        name: input.name ?? "Untitled endpoint",
        ownerKey: principal.ownerKey ?? `user:${principal.userId}`,
        workspaceId,
        // Anonymous endpoints expire; workspace endpoints are kept until deleted.
        expiresAt: workspaceId ? null : new Date(Date.now() + config().ANON_ENDPOINT_TTL),
        ...ruleColumns({ ...DEFAULT_RULE, ...input.response }),
        ...redactionColumns(input),
      },
    });
    forgetCaptureTarget(row.token, row.alias);
    await audit(principal, {
      workspaceId,
      action: "endpoint.create",
      targetType: "endpoint",
      targetId: row.id,
      detail: { name: row.name },
    });
    return view(row, role);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("alias_taken", `The alias "${input.alias}" is already in use.`);
    throw err;
  }
}

export async function listEndpoints(principal: Principal, opts: { workspaceId?: string } = {}): Promise<EndpointView[]> {
  const rows = await db().endpoint.findMany({
    where: { ...ownedBy(principal), ...(opts.workspaceId ? { workspaceId: opts.workspaceId } : {}) },
    orderBy: { createdAt: "desc" },
  });
  return rows.flatMap((row) => {
    const role = roleOn(principal, row);
    return role ? [view(row, role)] : [];
  });
}

export async function getEndpoint(principal: Principal, id: string): Promise<EndpointView> {
  const row = await db().endpoint.findFirst({ where: { id, ...ownedBy(principal) } });
  const role = row ? roleOn(principal, row) : null;
  if (!row || !role) throw notFound("endpoint");
  return view(row, role);
}

export async function updateEndpoint(principal: Principal, id: string, patch: z.infer<typeof updateEndpointSchema>): Promise<EndpointView> {
  const access = await endpointAccess(principal, id, "endpoint.update");
  const current = await getEndpoint(principal, id);
  if (patch.alias && patch.alias !== current.alias) await assertAliasFree(patch.alias);
  try {
    const row = await db().endpoint.update({
      where: { id },
      data: {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.alias !== undefined && { alias: patch.alias }),
        ...ruleColumns(patch.response),
        ...redactionColumns(patch),
      },
    });
    forgetCaptureTarget(current.token, current.alias);
    forgetCaptureTarget(row.token, row.alias);
    await audit(principal, {
      workspaceId: access.workspaceId,
      action: "endpoint.update",
      targetType: "endpoint",
      targetId: id,
      detail: { fields: Object.keys(patch) },
    });
    return view(row, access.role);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("alias_taken", `The alias "${patch.alias}" is already in use.`);
    throw err;
  }
}

/**
 * A deleted endpoint is hidden at once: its expiresAt moves to the epoch, which every scope (`notExpired`) and the
 * capture door already leave out, and its alias is freed. Its captures are then deleted in batches
 * (lib/jobs/purge.ts): here for a small endpoint, by an `endpoint.purge` job (answered to the caller) for one with
 * more than CLEAR_JOB_THRESHOLD captures. The row goes last; the cascade then only meets the small tables.
 */
export async function deleteEndpoint(principal: Principal, id: string): Promise<{ job: JobView | null }> {
  const access = await endpointAccess(principal, id, "endpoint.delete");
  const current = await getEndpoint(principal, id);
  const { count } = await db().endpoint.updateMany({ where: { id, ...ownedBy(principal) }, data: HIDDEN() });
  if (count === 0) throw notFound("endpoint");
  forgetCaptureTarget(current.token, current.alias);
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "endpoint.delete",
    targetType: "endpoint",
    targetId: id,
    detail: { name: current.name },
  });
  const threshold = config().CLEAR_JOB_THRESHOLD;
  if ((await countUpTo(id, threshold)) > threshold) {
    const job = await enqueueJob({
      kind: "endpoint.purge",
      endpointId: id,
      workspaceId: access.workspaceId,
      ownerKey: access.workspaceId === null ? principal.ownerKey : null,
      createdBy: principal.label,
    });
    return { job };
  }
  await purgeEndpoint(id);
  return { job: null };
}

/** What hides an endpoint from every scope and from the capture door until its purge ends. */
export const HIDDEN = () => ({ expiresAt: new Date(0), alias: null });

/** Its captures in batches, then the row. */
async function purgeEndpoint(id: string): Promise<void> {
  await purge(id, endpointSeqs(id));
  await db().endpoint.deleteMany({ where: { id, expiresAt: { lte: new Date() } } });
}

let sweeping = false;

/**
 * Deletes expired (and hidden, deleted) endpoints a few at a time, each one's captures in batches, so a large purge
 * never holds the database for long; endpoints an `endpoint.purge` job is working on are left to it. Returns how many
 * were deleted. A sweep still running when the next one is due makes that one a no-op.
 */
export async function deleteExpiredEndpoints(batch = 50): Promise<number> {
  if (sweeping) return 0;
  sweeping = true;
  try {
    let deleted = 0;
    const seen = new Set<string>();
    for (;;) {
      const jobs = await db().job.findMany({
        where: { kind: "endpoint.purge", state: { in: ACTIVE_STATES } },
        select: { endpointId: true },
      });
      const skip = [...jobs.map((j) => j.endpointId), ...seen];
      const expired = await db().endpoint.findMany({
        where: { expiresAt: { lte: new Date() }, ...(skip.length > 0 && { id: { notIn: skip } }) },
        select: { id: true, token: true, alias: true },
        take: batch,
      });
      if (expired.length === 0) return deleted;
      for (const e of expired) {
        seen.add(e.id);
        forgetCaptureTarget(e.token, e.alias);
        await purgeEndpoint(e.id);
        deleted++;
      }
      if (expired.length < batch) return deleted;
    }
  } finally {
    sweeping = false;
  }
}
