// The capture door's view of an endpoint: found by token or alias on every captured request, so
// it is cached briefly in memory. Updates and deletes in this process evict at once (the door's
// thread is told, lib/live/door-bridge.ts); in cluster mode every other instance is told through
// Redis (lib/cluster/cluster.ts), and sees a change within TARGET_TTL_MS while Redis is down.
// The lookup is one statement through the driver adapter (db/capture-adapter.ts), not the Prisma
// client: the door thread, its only caller, then never loads Prisma's client runtime, the generated
// clients and the query compiler (about 20 MB of its heap; issue 17, docs/architecture.md "Footprint").
import "../runtime/server-only";
import { databaseTarget } from "../db/adapter";
import { rawRows } from "../db/capture-adapter";
import { shared } from "../runtime/shared";
import { now as clock } from "../runtime/clock";
import { ruleOf, type ResponseRule } from "./response-rule";
import { combineRules } from "../redaction/stored-rules";
import type { RedactionRule } from "../redaction/rules";

export interface CaptureTarget {
  endpointId: string;
  rule: ResponseRule;
  /** Set when the endpoint redacts at ingest: the rules to mask the stored bytes with. */
  ingestRedaction: RedactionRule[] | null;
}

const TARGET_TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

/** The endpoint by token or alias, not expired (what notExpired() says for the Prisma queries). */
const targetSql = (p: (n: number) => string) =>
  'SELECT e."id", e."responseStatus", e."responseHeaders", e."responseBody", e."responseDelayMs", e."redactAtIngest", ' +
  'e."redactionRules", w."redactionRules" FROM "Endpoint" e LEFT JOIN "Workspace" w ON w."id" = e."workspaceId" ' +
  `WHERE (e."token" = ${p(1)} OR e."alias" = ${p(2)}) AND (e."expiresAt" IS NULL OR e."expiresAt" > ${p(3)}) LIMIT 1`;
const TARGET_SQL = { sqlite: targetSql(() => "?"), postgresql: targetSql((n) => `$${n}`) };

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
  // A Date argument is written by the adapter as Prisma writes a DateTime, so the comparison is Prisma's.
  const rows = await rawRows(TARGET_SQL[databaseTarget().provider], [tokenOrAlias, tokenOrAlias, new Date()]);
  const row = rows[0] as [string, number, string, string | null, number, number | boolean, string, string | null] | undefined;
  const value: CaptureTarget | null = row
    ? {
        endpointId: row[0],
        rule: ruleOf({ responseStatus: Number(row[1]), responseHeaders: row[2], responseBody: row[3], responseDelayMs: Number(row[4]) }),
        ingestRedaction: row[5] === true || Number(row[5]) === 1 ? combineRules(row[7], row[6]) : null,
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
