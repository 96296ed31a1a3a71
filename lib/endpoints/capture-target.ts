// The capture door's view of an endpoint: found by token or alias on every captured request, so
// it is cached briefly in memory. Updates and deletes in this process evict at once (the door's
// thread is told, lib/live/door-bridge.ts); in cluster mode every other instance is told through
// Redis (lib/cluster/cluster.ts), and sees a change within TARGET_TTL_MS while Redis is down.
import "../runtime/server-only";
import { db } from "../db/client";
import { notExpired } from "../auth/principal";
import { shared } from "../runtime/shared";
import { now as clock } from "../runtime/clock";
import { ruleOf, type ResponseRule } from "./response-rule";
import { combineRules } from "../redaction/policy";
import type { RedactionRule } from "../redaction/rules";

export interface CaptureTarget {
  endpointId: string;
  rule: ResponseRule;
  /** Set when the endpoint redacts at ingest: the rules to mask the stored bytes with. */
  ingestRedaction: RedactionRule[] | null;
}

const TARGET_TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

type Entry = { value: CaptureTarget | null; expires: number };
const cache = () => shared("capture-target-cache", () => new Map<string, Entry>());

/** The cached target, if a fresh entry exists (null: known not to exist); undefined: look it up. */
export function cachedCaptureTarget(tokenOrAlias: string): CaptureTarget | null | undefined {
  const hit = cache().get(tokenOrAlias);
  return hit && hit.expires > clock() ? hit.value : undefined;
}

export async function findCaptureTarget(tokenOrAlias: string): Promise<CaptureTarget | null> {
  const cached = cachedCaptureTarget(tokenOrAlias);
  if (cached !== undefined) return cached;
  const now = clock();
  const row = await db().endpoint.findFirst({
    where: { AND: [{ OR: [{ token: tokenOrAlias }, { alias: tokenOrAlias }] }, notExpired()] },
    select: {
      id: true,
      responseStatus: true,
      responseHeaders: true,
      responseBody: true,
      responseDelayMs: true,
      redactAtIngest: true,
      redactionRules: true,
      workspace: { select: { redactionRules: true } },
    },
  });
  const value: CaptureTarget | null = row
    ? {
        endpointId: row.id,
        rule: ruleOf(row),
        ingestRedaction: row.redactAtIngest ? combineRules(row.workspace?.redactionRules ?? null, row.redactionRules) : null,
      }
    : null;
  const map = cache();
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(tokenOrAlias, { value, expires: now + TARGET_TTL_MS });
  return value;
}

type ForgetListener = (keys: string[]) => void;
const forgetListeners = () => shared("capture-target-forget", () => new Set<ForgetListener>());

export function forgetCaptureTarget(token: string, alias: string | null): void {
  const keys = alias ? [token, alias] : [token];
  forgetCaptureKeys(keys);
  for (const listener of forgetListeners()) listener(keys);
}

/** Evictions made here are passed on to the capture door's own cache (it runs on another thread). */
export function onForgetCaptureTarget(listener: ForgetListener): () => void {
  forgetListeners().add(listener);
  return () => forgetListeners().delete(listener);
}

/** Evicts tokens or aliases whose endpoint changed elsewhere (the door thread's side of the above). */
export function forgetCaptureKeys(keys: readonly string[]): void {
  for (const key of keys) cache().delete(key);
}
