import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { ownedBy } from "../auth/principal";
import { config } from "../config";
import { conflict, notFound } from "../http/errors";
import { newCaptureToken, newEndpointId } from "../runtime/ids";
import { DEFAULT_RULE, responseRuleSchema, ruleOf, type ResponseRule } from "./response-rule";
import { forgetCaptureTarget } from "./capture-target";

export const ALIAS_PATTERN = /^[a-z0-9-]{4,64}$/;
const aliasSchema = z.string().regex(ALIAS_PATTERN, "alias must be 4-64 characters of a-z, 0-9 and -");

export const createEndpointSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    alias: aliasSchema.nullable().optional(),
    response: responseRuleSchema.partial().optional(),
  })
  .strict();

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
};

export function captureUrl(tokenOrAlias: string): string {
  return `${config().captureBaseUrl}/in/${tokenOrAlias}`;
}

function view(row: EndpointRow): EndpointView {
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

export async function createEndpoint(principal: Principal, input: z.infer<typeof createEndpointSchema>): Promise<EndpointView> {
  await assertAliasFree(input.alias);
  try {
    const row = await db().endpoint.create({
      data: {
        id: newEndpointId(),
        token: newCaptureToken(),
        alias: input.alias ?? null,
        name: input.name ?? "Untitled endpoint",
        ownerKey: principal.ownerKey,
        // Every endpoint is anonymous until accounts exist.
        expiresAt: new Date(Date.now() + config().ANON_ENDPOINT_TTL),
        ...ruleColumns({ ...DEFAULT_RULE, ...input.response }),
      },
    });
    forgetCaptureTarget(row.token, row.alias);
    return view(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("alias_taken", `The alias "${input.alias}" is already in use.`);
    throw err;
  }
}

export async function listEndpoints(principal: Principal): Promise<EndpointView[]> {
  const rows = await db().endpoint.findMany({ where: ownedBy(principal), orderBy: { createdAt: "desc" } });
  return rows.map(view);
}

export async function getEndpoint(principal: Principal, id: string): Promise<EndpointView> {
  const row = await db().endpoint.findFirst({ where: { id, ...ownedBy(principal) } });
  if (!row) throw notFound("endpoint");
  return view(row);
}

/** Throws the same 404 as a missing endpoint when the principal may not see it. */
export async function assertEndpointAccess(principal: Principal, id: string): Promise<void> {
  const row = await db().endpoint.findFirst({ where: { id, ...ownedBy(principal) }, select: { id: true } });
  if (!row) throw notFound("endpoint");
}

export async function updateEndpoint(
  principal: Principal,
  id: string,
  patch: z.infer<typeof updateEndpointSchema>,
): Promise<EndpointView> {
  const current = await getEndpoint(principal, id);
  if (patch.alias && patch.alias !== current.alias) await assertAliasFree(patch.alias);
  try {
    const row = await db().endpoint.update({
      where: { id },
      data: {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.alias !== undefined && { alias: patch.alias }),
        ...ruleColumns(patch.response),
      },
    });
    forgetCaptureTarget(current.token, current.alias);
    forgetCaptureTarget(row.token, row.alias);
    return view(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("alias_taken", `The alias "${patch.alias}" is already in use.`);
    throw err;
  }
}

export async function deleteEndpoint(principal: Principal, id: string): Promise<void> {
  const current = await getEndpoint(principal, id);
  const { count } = await db().endpoint.deleteMany({ where: { id, ...ownedBy(principal) } });
  if (count === 0) throw notFound("endpoint");
  forgetCaptureTarget(current.token, current.alias);
}


/**
 * Deletes expired endpoints (their captures go with them) a few at a time, so a large purge never
 * holds the database for long. Returns how many were deleted.
 */
export async function deleteExpiredEndpoints(batch = 50): Promise<number> {
  let deleted = 0;
  for (;;) {
    const expired = await db().endpoint.findMany({
      where: { expiresAt: { lte: new Date() } },
      select: { id: true, token: true, alias: true },
      take: batch,
    });
    if (expired.length === 0) return deleted;
    const { count } = await db().endpoint.deleteMany({ where: { id: { in: expired.map((e) => e.id) } } });
    for (const e of expired) forgetCaptureTarget(e.token, e.alias);
    deleted += count;
    if (expired.length < batch) return deleted;
  }
}
