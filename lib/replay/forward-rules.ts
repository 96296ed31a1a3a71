// An endpoint's forwarding rule: every new capture is sent on to `url` (plus the capture's sub-path
// and query), byte-exact, credentials included (it is the endpoint owner's own rule), retried
// with backoff by the forwarder (lib/replay/forwarder.ts). The URL is checked by the SSRF guard
// when the rule is saved (form and IP literals) and again, with DNS, on every delivery.
import "../runtime/server-only";
import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { audit } from "../audit/audit";
import { endpointAccess } from "../endpoints/access";
import { AppError } from "../errors";
import { EgressError } from "../net/egress-error";
import { validateTargetUrl } from "../net/ssrf";
import { FORWARD_BACKOFF } from "./backoff";
import { forwardRulesChanged } from "./forward-hooks";
import { urlSchema } from "./input";
import { guardPolicy } from "./policy";

export const MAX_FORWARD_ATTEMPTS = 10;

export const forwardRuleSchema = z.object({
  url: urlSchema,
  enabled: z.boolean(),
  followRedirects: z.boolean().optional(),
  maxAttempts: z.number().int().min(1).max(MAX_FORWARD_ATTEMPTS).optional(),
});

export interface ForwardRuleView {
  endpointId: string;
  url: string;
  enabled: boolean;
  followRedirects: boolean;
  maxAttempts: number;
  createdAt: string;
  updatedAt: string;
}

export interface ForwardState {
  rule: ForwardRuleView | null;
  /** Forward jobs of this endpoint by state. */
  jobs: { pending: number; delivered: number; failed: number };
}

type Row = {
  endpointId: string;
  url: string;
  enabled: boolean;
  followRedirects: boolean;
  maxAttempts: number;
  createdAt: Date;
  updatedAt: Date;
};

const view = (r: Row): ForwardRuleView => ({
  endpointId: r.endpointId,
  url: r.url,
  enabled: r.enabled,
  followRedirects: r.followRedirects,
  maxAttempts: r.maxAttempts,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

async function state(endpointId: string): Promise<ForwardState> {
  const rule = await db().forwardRule.findUnique({ where: { endpointId } });
  const groups = await db().forwardJob.groupBy({ by: ["state"], where: { endpointId }, _count: { _all: true } });
  const jobs = { pending: 0, delivered: 0, failed: 0 };
  for (const g of groups) if (g.state in jobs) jobs[g.state as keyof typeof jobs] = g._count._all;
  return { rule: rule ? view(rule) : null, jobs };
}

export async function getForward(principal: Principal, endpointId: string): Promise<ForwardState> {
  await endpointAccess(principal, endpointId, "capture.replay");
  return state(endpointId);
}

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

export async function putForward(
  principal: Principal,
  endpointId: string,
  input: z.infer<typeof forwardRuleSchema>,
  ip: string | null,
): Promise<ForwardState> {
  const access = await endpointAccess(principal, endpointId, "capture.replay");
  try {
    validateTargetUrl(input.url, guardPolicy());
  } catch (err) {
    if (err instanceof EgressError) throw new AppError(err.code, err.message);
    throw err;
  }
  const data = {
    url: input.url,
    enabled: input.enabled,
    followRedirects: input.followRedirects ?? false,
    maxAttempts: input.maxAttempts ?? FORWARD_BACKOFF.maxAttempts,
  };
  const existed = await db().forwardRule.findUnique({ where: { endpointId }, select: { endpointId: true } });
  await db().forwardRule.upsert({ where: { endpointId }, create: { endpointId, ...data }, update: data });
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "forward.update",
    targetType: "endpoint",
    targetId: endpointId,
    detail: {
      change: existed ? "updated" : "created",
      enabled: data.enabled,
      target: originOf(data.url),
      followRedirects: data.followRedirects,
      maxAttempts: data.maxAttempts,
    },
    ip,
  });
  forwardRulesChanged();
  return state(endpointId);
}

/** Removes the rule (idempotent); pending forwards of the endpoint are cancelled by the forwarder. */
export async function deleteForward(principal: Principal, endpointId: string, ip: string | null): Promise<void> {
  const access = await endpointAccess(principal, endpointId, "capture.replay");
  const { count } = await db().forwardRule.deleteMany({ where: { endpointId } });
  if (count > 0) {
    await audit(principal, {
      workspaceId: access.workspaceId,
      action: "forward.update",
      targetType: "endpoint",
      targetId: endpointId,
      detail: { change: "deleted" },
      ip,
    });
    forwardRulesChanged();
  }
}
