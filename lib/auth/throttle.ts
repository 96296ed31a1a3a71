// Throttling of failed sign-ins, and of sign-ups per address.
//
// Sign-in failures are counted under three keys, each with its own free allowance and then an
// exponential back-off from its last failure (SIGNIN_BACKOFF_FIRST_MS, doubling, capped at
// SIGNIN_BACKOFF_CAP_MS):
// - the account from one address ("pair"): a guesser at one address is slowed down on that account
//   only, so it cannot lock the owner out from anywhere else (the old per-email lock could);
// - the address across accounts ("ip"): password spraying from one address;
// - the account from all addresses ("account"): a distributed attack. It is slowed, but addresses
//   the account has signed in from before are exempt (users.ts asks), so the attacker decides
//   neither when the owner may sign in nor from where; an owner at a new address waits the
//   back-off like anyone else, which is the cost of not letting the attacker control a lock.
// While a key backs off, the password is not checked at all, so the answer says nothing about it.
// A key is forgotten SIGNIN_FORGET_MS after its last failure.
//
// Where the counts live: in this process (the tables below), and in cluster mode (REDIS_URL) also in
// Redis, shared and updated atomically by every instance (lib/cluster/throttles.ts installs
// SharedThrottles): the async functions at the end (signInWait, noteSignInFailure, takeSignUp) read
// Redis when it answers and this process's table when it does not. Redis down fails open to the
// per-instance limit (each instance then counts what it saw itself, which it keeps counting while
// Redis is up, so the fallback does not start from nothing), as the endpoint-creation limit does.
import { shared } from "../runtime/shared";

export const SIGNIN_PAIR_FREE = 5;
export const SIGNIN_IP_FREE = 30;
export const SIGNIN_ACCOUNT_FREE = 20;
export const SIGNIN_BACKOFF_FIRST_MS = 30_000;
export const SIGNIN_BACKOFF_CAP_MS = 15 * 60_000;
export const SIGNIN_FORGET_MS = 60 * 60_000;
/** Bound on the table; the least recently failed keys go first. */
const MAX_KEYS = 100_000;

export type ThrottleScope = "pair" | "ip" | "account";
const FREE: Record<ThrottleScope, number> = { pair: SIGNIN_PAIR_FREE, ip: SIGNIN_IP_FREE, account: SIGNIN_ACCOUNT_FREE };

export interface SignInKeys {
  pair: string;
  ip: string | null;
  account: string;
}

interface Entry {
  failures: number;
  last: number;
}

const table = () => shared("signin-throttle", () => new Map<string, Entry>());

export function signInKeys(email: string, ip: string | null): SignInKeys {
  const account = email.trim().toLowerCase();
  return { pair: `pair:${account}|${ip ?? "-"}`, ip: ip ? `ip:${ip}` : null, account: `account:${account}` };
}

function entry(key: string, now: number): Entry | null {
  const e = table().get(key);
  if (!e) return null;
  if (now - e.last > SIGNIN_FORGET_MS) {
    table().delete(key);
    return null;
  }
  return e;
}

/** The back-off after `failures` failures with `free` allowed: 0 within the allowance, then 30 s, 60 s, … up to the cap. */
export function backoffMs(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(SIGNIN_BACKOFF_FIRST_MS * 2 ** Math.min(failures - free, 30), SIGNIN_BACKOFF_CAP_MS);
}

/** Seconds until this scope lets the caller try again, or 0. */
export function signInRetryAfter(keys: SignInKeys, scope: ThrottleScope, now = Date.now()): number {
  const key = keys[scope];
  const e = key ? entry(key, now) : null;
  if (!e) return 0;
  const wait = e.last + backoffMs(e.failures, FREE[scope]) - now;
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}

export function recordSignInFailure(keys: SignInKeys, now = Date.now()): void {
  const t = table();
  for (const key of [keys.pair, keys.ip, keys.account]) {
    if (!key) continue;
    const failures = (entry(key, now)?.failures ?? 0) + 1;
    // Re-inserted, so the Map's order is least recently failed first.
    t.delete(key);
    t.set(key, { failures, last: now });
  }
  for (const key of t.keys()) {
    if (t.size <= MAX_KEYS) break;
    t.delete(key);
  }
}

/**
 * After a correct password: this address's count for the account starts over. The account-wide
 * and address-wide counts stay (the owner signing in must not reset a distributed attack's).
 */
export function clearSignInFailures(keys: SignInKeys): void {
  table().delete(keys.pair);
}

/** "45 seconds", "1 minute", "15 minutes". */
export function retryText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

// Sign-ups: at most `limit` per address in SIGNUP_WINDOW_MS (config SIGNUP_MAX_PER_ADDRESS), counted
// whether the email was new or taken, so probing which emails have accounts costs the same budget.
export const SIGNUP_WINDOW_MS = 60 * 60_000;
const signUps = () => shared("signup-throttle", () => new Map<string, number[]>());

/** Seconds until this address may sign up again, or 0 (limit 0 = no limit). */
export function signUpRetryAfter(ip: string | null, limit: number, now = Date.now()): number {
  if (!ip || limit <= 0) return 0;
  const times = (signUps().get(ip) ?? []).filter((t) => now - t < SIGNUP_WINDOW_MS);
  if (times.length === 0) signUps().delete(ip);
  else signUps().set(ip, times);
  if (times.length < limit) return 0;
  return Math.max(1, Math.ceil((times[times.length - limit]! + SIGNUP_WINDOW_MS - now) / 1000));
}

export function recordSignUp(ip: string | null, limit: number, now = Date.now()): void {
  if (!ip || limit <= 0) return;
  const t = signUps();
  const times = t.get(ip) ?? [];
  times.push(now);
  if (times.length > limit) times.splice(0, times.length - limit);
  t.delete(ip);
  t.set(ip, times);
  for (const key of t.keys()) {
    if (t.size <= MAX_KEYS) break;
    t.delete(key);
  }
}

/**
 * The counts of every instance, in Redis (cluster mode). Each method answers null (or false) when
 * Redis cannot answer; the caller then counts in this process.
 */
export interface SharedThrottles {
  /** Seconds to wait for each key (0: none) given its free allowance, with the back-off above. */
  signInWaits(keys: readonly { key: string; free: number }[]): Promise<number[] | null>;
  /** One failure more under each key (atomically). */
  signInFailed(keys: readonly string[]): Promise<boolean>;
  signInClear(key: string): Promise<void>;
  /** Takes one sign-up of `ip` (at most `limit` per `windowMs`): 0 (allowed and counted) or the seconds to wait. */
  signUpTake(ip: string, limit: number, windowMs: number): Promise<number | null>;
  /** Misses of `name` from `ip` in its current fixed window (started by the first miss), and the ms left in it. */
  missesRead(name: string, ip: string): Promise<{ count: number; leftMs: number } | null>;
  /** One miss more (atomically), the window starting at the first. */
  missNoted(name: string, ip: string, windowMs: number): Promise<boolean>;
}

const sharedSlot = () => shared("throttles-shared", () => ({ impl: null as SharedThrottles | null }));

/** Cluster mode keeps the counts in Redis (installed by lib/cluster at start; null removes them). */
export function installSharedThrottles(impl: SharedThrottles | null): void {
  sharedSlot().impl = impl;
}

export function sharedThrottles(): SharedThrottles | null {
  return sharedSlot().impl;
}

/** Seconds until the caller may try again under `scopes` (the longest wait), shared or this process's. */
export async function signInWait(keys: SignInKeys, scopes: readonly ThrottleScope[]): Promise<number> {
  const impl = sharedThrottles();
  const wanted = scopes.flatMap((scope) => (keys[scope] ? [{ key: keys[scope], free: FREE[scope] }] : []));
  const waits = impl && wanted.length ? await impl.signInWaits(wanted) : null;
  if (waits) return Math.max(0, ...waits);
  return Math.max(0, ...scopes.map((scope) => signInRetryAfter(keys, scope)));
}

/** Counts a failed sign-in under its three keys: in Redis (cluster mode) and in this process (the fallback). */
export async function noteSignInFailure(keys: SignInKeys): Promise<void> {
  recordSignInFailure(keys);
  await sharedThrottles()?.signInFailed([keys.pair, keys.ip, keys.account].filter((k): k is string => k !== null));
}

/** After a correct password (clearSignInFailures), here and in Redis. */
export async function forgetSignInFailures(keys: SignInKeys): Promise<void> {
  clearSignInFailures(keys);
  await sharedThrottles()?.signInClear(keys.pair);
}

/** Takes one sign-up from `ip`'s allowance: 0 (allowed, counted) or the seconds to wait (nothing counted). */
export async function takeSignUp(ip: string | null, limit: number): Promise<number> {
  if (!ip || limit <= 0) return 0;
  const counted = (await sharedThrottles()?.signUpTake(ip, limit, SIGNUP_WINDOW_MS)) ?? null;
  const wait = counted ?? signUpRetryAfter(ip, limit);
  // Counted here as well (the shared count allowed it, or there is none), so a Redis outage falls back to what this instance saw.
  if (wait === 0) recordSignUp(ip, limit);
  return wait;
}
