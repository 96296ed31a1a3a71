// Endpoint creation per client address (ENDPOINT_CREATE_LIMIT per ENDPOINT_CREATE_WINDOW_S), for
// anonymous visitors and accounts alike: without it one address created 1,500 endpoints in 25 s.
//
// A generic cell rate algorithm (GCRA): each address has a "theoretical arrival time"; every
// creation moves it window/limit later, and a creation is refused while it is more than
// window − window/limit ahead of now. That allows a burst of `limit` and then `limit` per window,
// in O(1) memory per address whatever the limit, and gives an exact Retry-After. In-process; in
// cluster mode the same GCRA runs atomically in Redis (lib/cluster/rate-limit.ts), shared by every
// instance, and this table is the fallback while Redis is down (each instance then counts its own).
import { retryText } from "../auth/throttle";
import { config } from "../config";
import { AppError } from "../errors";
import { shared } from "../runtime/shared";

/** Bound on the table; addresses whose allowance is whole again go first, then the oldest. */
const MAX_KEYS = 100_000;

export interface CreateLimit {
  /** Creations allowed per window; 0 = no limit. */
  limit: number;
  windowMs: number;
}

const table = () => shared("endpoint-create-throttle", () => new Map<string, number>());

/**
 * Takes one creation from `ip`'s allowance: 0 when allowed (and counted), else the seconds to
 * wait (nothing counted). No address (a request that did not come through the door) is not limited.
 */
export function takeEndpointCreation(ip: string | null, { limit, windowMs }: CreateLimit, now = Date.now()): number {
  if (!ip || limit <= 0) return 0;
  const t = table();
  const interval = windowMs / limit;
  const tat = Math.max(t.get(ip) ?? now, now);
  const ahead = tat + interval - now;
  if (ahead > windowMs) return Math.max(1, Math.ceil((ahead - windowMs) / 1000));
  // Re-inserted, so the Map's order is least recently used first.
  t.delete(ip);
  t.set(ip, tat + interval);
  if (t.size > MAX_KEYS) prune(t, now);
  return 0;
}

function prune(t: Map<string, number>, now: number) {
  for (const [key, tat] of t) if (tat <= now) t.delete(key);
  for (const key of t.keys()) {
    if (t.size <= MAX_KEYS) break;
    t.delete(key);
  }
}

/** A limiter shared by several instances: the seconds to wait (0: allowed and counted), or null when it cannot answer. */
export type SharedCreateLimiter = (ip: string, limit: CreateLimit) => Promise<number | null>;
const sharedLimiter = () => shared("endpoint-create-shared", () => ({ take: null as SharedCreateLimiter | null }));

/** Cluster mode counts creations in Redis (installed by lib/cluster at start). */
export function installSharedCreateLimiter(take: SharedCreateLimiter | null): void {
  sharedLimiter().take = take;
}

/** The 429 `rate_limited` (with Retry-After) when `ip` has used its allowance; else counts one creation. */
export async function assertMayCreateEndpoint(ip: string | null): Promise<void> {
  const cfg = config();
  const limit = cfg.ENDPOINT_CREATE_LIMIT;
  const spec = { limit, windowMs: cfg.ENDPOINT_CREATE_WINDOW_S * 1000 };
  const take = sharedLimiter().take;
  // Shared (cluster), or this process's table when there is none or it cannot answer (fail open to the local limit).
  const counted = ip && limit > 0 && take ? await take(ip, spec) : null;
  const wait = counted ?? takeEndpointCreation(ip, spec);
  if (wait === 0) return;
  const window = retryText(cfg.ENDPOINT_CREATE_WINDOW_S);
  const message = `Too many endpoints created from your address (at most ${limit} per ${window}). Try again in ${retryText(wait)}.`;
  throw new AppError("rate_limited", message, wait);
}

/** Forgets every address (tests). */
export function resetEndpointCreations(): void {
  table().clear();
}
