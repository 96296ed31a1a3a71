// Saved replay targets, per endpoint ("my laptop", "staging"). A target is checked for form when
// saved (http/https, no userinfo); the SSRF guard runs when a server-side replay uses it, since a
// saved target may also be meant for replays from the browser (http://localhost:…).
import "../runtime/server-only";
import { z } from "zod";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { endpointAccess } from "../endpoints/access";
import { AppError, notFound } from "../errors";
import { EgressError } from "../net/egress-error";
import { validateTargetUrl } from "../net/ssrf";
import { randomToken } from "../runtime/ids";
import { urlSchema } from "./input";

export const MAX_TARGETS_PER_ENDPOINT = 50;

export const createTargetSchema = z.object({
  url: urlSchema,
  label: z.string().trim().max(100).nullish(),
  followRedirects: z.boolean().optional(),
});

export interface ReplayTargetView {
  id: string;
  endpointId: string;
  url: string;
  label: string | null;
  followRedirects: boolean;
  createdAt: string;
}

type Row = { id: string; endpointId: string; url: string; label: string | null; followRedirects: boolean; createdAt: Date };

const view = (r: Row): ReplayTargetView => ({
  id: r.id,
  endpointId: r.endpointId,
  url: r.url,
  label: r.label,
  followRedirects: r.followRedirects,
  createdAt: r.createdAt.toISOString(),
});

/** A target URL's form (no network access); throws a 422 naming the problem. */
export function checkTargetForm(url: string): URL {
  try {
    return validateTargetUrl(url);
  } catch (err) {
    if (err instanceof EgressError) throw new AppError(err.code, err.message);
    throw err;
  }
}

export async function listTargets(principal: Principal, endpointId: string): Promise<ReplayTargetView[]> {
  await endpointAccess(principal, endpointId, "capture.replay");
  const rows = await db().replayTarget.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });
  return rows.map(view);
}

export async function createTarget(
  principal: Principal,
  endpointId: string,
  input: z.infer<typeof createTargetSchema>,
): Promise<ReplayTargetView> {
  await endpointAccess(principal, endpointId, "capture.replay");
  checkTargetForm(input.url);
  const count = await db().replayTarget.count({ where: { endpointId } });
  if (count >= MAX_TARGETS_PER_ENDPOINT)
    throw new AppError("too_many_targets", `An endpoint keeps at most ${MAX_TARGETS_PER_ENDPOINT} saved targets.`);
  const row = await db().replayTarget.create({
    data: {
      id: `rt_${randomToken(12)}`,
      endpointId,
      url: input.url,
      label: input.label || null,
      followRedirects: input.followRedirects ?? false,
    },
  });
  return view(row);
}

export async function deleteTarget(principal: Principal, id: string): Promise<void> {
  const row = await db().replayTarget.findUnique({ where: { id }, select: { endpointId: true } });
  if (!row) throw notFound("replay target");
  try {
    await endpointAccess(principal, row.endpointId, "capture.replay");
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw notFound("replay target");
    throw err;
  }
  await db().replayTarget.deleteMany({ where: { id } });
}

/** A saved target of `endpointId` (a target of another endpoint is not found). */
export async function targetOf(endpointId: string, id: string): Promise<ReplayTargetView> {
  const row = await db().replayTarget.findFirst({ where: { id, endpointId } });
  if (!row) throw notFound("replay target");
  return view(row);
}
