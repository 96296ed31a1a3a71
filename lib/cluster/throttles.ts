// The sign-in, sign-up and unknown-share-link throttles of lib/auth/throttle.ts and
// lib/sharing/share-links.ts, kept in Redis so every instance counts against one allowance. Each
// update is one Lua script (atomic: concurrent failures on several instances are all counted), on
// Redis's own clock (TIME), so instances whose clocks disagree still agree on a back-off. Keys are
// hashed (a sign-in key holds an email address; Redis need not). Any Redis error answers null or
// false: the caller counts in its own process instead (fail open to the per-instance limit).
import "../runtime/server-only";
import { createHash } from "node:crypto";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { SIGNIN_BACKOFF_CAP_MS, SIGNIN_BACKOFF_FIRST_MS, SIGNIN_FORGET_MS, type SharedThrottles } from "../auth/throttle";
import { countRedisCommandError } from "./redis";

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// KEYS: the sign-in keys. ARGV[1] first back-off, ARGV[2] cap, ARGV[2 + i] the free allowance of KEYS[i].
// Returns the seconds to wait for each key (backoffMs of lib/auth/throttle.ts from its last failure).
const SIGNIN_WAITS = `${NOW}
local first = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'f', 'l')
  local wait = 0
  if v[1] and v[2] then
    local failures = tonumber(v[1])
    local free = tonumber(ARGV[2 + i])
    if failures >= free then
      local backoff = math.min(first * 2 ^ math.min(failures - free, 30), cap)
      local left = tonumber(v[2]) + backoff - now
      if left > 0 then wait = math.ceil(left / 1000) end
    end
  end
  out[i] = wait
end
return out
`;

// KEYS: the sign-in keys. ARGV[1]: forget after (ms since the last failure).
const SIGNIN_FAILED = `${NOW}
for _, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'f', 1)
  redis.call('HSET', key, 'l', now)
  redis.call('PEXPIRE', key, ARGV[1])
end
return 1
`;

// KEYS[1]: the address's sign-ups (a sorted set of times). ARGV: window (ms), limit, a unique member.
// Returns 0 (allowed, counted) or the seconds until the oldest of the last `limit` leaves the window.
const SIGNUP_TAKE = `${NOW}
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  local wait = math.ceil((tonumber(oldest[2]) + window - now) / 1000)
  if wait < 1 then wait = 1 end
  return wait
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
`;

// KEYS[1]: the address's misses. ARGV[1]: the window (ms), started by the first miss.
const MISS_NOTED = `local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

const hashed = (key: string) => createHash("sha256").update(key).digest("base64url");

export function redisThrottles(redis: Redis, prefix: string, up: () => boolean): SharedThrottles {
  const k = (kind: string, key: string) => `${prefix}th:${kind}:${hashed(key)}`;
  /** Runs `fn` when connected; null on any error (counted), or while down. */
  const run = async <T>(fn: () => Promise<T>): Promise<T | null> => {
    if (!up()) return null;
    try {
      return await fn();
    } catch {
      countRedisCommandError();
      return null;
    }
  };
  return {
    signInWaits: (keys) =>
      run(async () => {
        const waits = (await redis.eval(
          SIGNIN_WAITS,
          keys.length,
          ...keys.map((x) => k("signin", x.key)),
          String(SIGNIN_BACKOFF_FIRST_MS),
          String(SIGNIN_BACKOFF_CAP_MS),
          ...keys.map((x) => String(x.free)),
        )) as number[];
        return waits.map(Number);
      }),
    signInFailed: async (keys) =>
      (await run(() => redis.eval(SIGNIN_FAILED, keys.length, ...keys.map((x) => k("signin", x)), String(SIGNIN_FORGET_MS)))) !== null,
    signInClear: async (key) => {
      await run(() => redis.del(k("signin", key)));
    },
    signUpTake: (ip, limit, windowMs) =>
      run(async () => Number(await redis.eval(SIGNUP_TAKE, 1, k("signup", ip), String(windowMs), String(limit), randomUUID()))),
    missesRead: (name, ip) =>
      run(async () => {
        const key = k(`miss:${name}`, ip);
        const replies = await redis.multi().get(key).pttl(key).exec();
        if (!replies || replies.some(([err]) => err)) throw new Error("redis: transaction failed");
        return { count: Number(replies[0]?.[1] ?? 0), leftMs: Number(replies[1]?.[1]) };
      }),
    missNoted: async (name, ip, windowMs) => (await run(() => redis.eval(MISS_NOTED, 1, k(`miss:${name}`, ip), String(windowMs)))) !== null,
  };
}
