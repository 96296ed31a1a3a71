// The endpoint-creation GCRA of lib/endpoints/create-throttle.ts, run atomically in Redis so every
// instance draws on one allowance per address. One Lua script per call: read the address's
// theoretical arrival time, refuse or move it window/limit later, and let the key expire once the
// allowance is whole again. The clock is Redis's own (TIME), so instances whose clocks disagree
// still agree on the limit.
import "../runtime/server-only";
import type { Redis } from "ioredis";
import type { CreateLimit } from "../endpoints/create-throttle";
import { countRedisCommandError } from "./redis";

// KEYS[1]: the address's key. ARGV: interval (ms, may be fractional), window (ms).
// Returns 0 (allowed, counted) or the seconds to wait (nothing counted).
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local ahead = tat + interval - now
if ahead > window then
  local wait = math.ceil((ahead - window) / 1000)
  if wait < 1 then wait = 1 end
  return wait
end
redis.call('SET', KEYS[1], string.format('%.3f', tat + interval), 'PX', math.max(1, math.ceil(ahead)))
return 0
`;

/** Takes one creation for `ip` from the shared allowance: 0, the seconds to wait, or null when Redis cannot answer. */
export async function takeSharedCreation(
  redis: Redis,
  prefix: string,
  ip: string,
  { limit, windowMs }: CreateLimit,
): Promise<number | null> {
  try {
    const wait = await redis.eval(GCRA, 1, `${prefix}rl:endpoint-create:${ip}`, String(windowMs / limit), String(windowMs));
    return Number(wait);
  } catch {
    countRedisCommandError();
    // Down or slow: the caller counts in-process instead (fail open to the per-instance limit).
    return null;
  }
}
