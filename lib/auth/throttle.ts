// Throttling of failed sign-ins: after SIGNIN_FREE_FAILURES failures for one email (or
// SIGNIN_IP_FAILURES from one client address, so one office behind a NAT is not locked out by a
// single typo-prone colleague) inside SIGNIN_WINDOW_MS, further attempts are refused until the
// window has passed; a correct password does not get through while locked. In-process: one
// Hookscope process serves sign-ins.
import { shared } from "../runtime/shared";

export const SIGNIN_FREE_FAILURES = 5;
export const SIGNIN_IP_FAILURES = 30;
export const SIGNIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 100_000;

interface Entry {
  failures: number[];
}

const table = () => shared("signin-throttle", () => new Map<string, Entry>());

function recent(key: string, now: number): number[] {
  const entry = table().get(key);
  if (!entry) return [];
  entry.failures = entry.failures.filter((t) => now - t < SIGNIN_WINDOW_MS);
  if (entry.failures.length === 0) table().delete(key);
  return entry.failures;
}

/** Seconds until the caller may try again, or 0 when not throttled. */
export function signInRetryAfter(keys: string[], now = Date.now()): number {
  let wait = 0;
  for (const key of keys) {
    const failures = recent(key, now);
    const allowed = key.startsWith("ip:") ? SIGNIN_IP_FAILURES : SIGNIN_FREE_FAILURES;
    if (failures.length >= allowed) {
      const oldest = failures[failures.length - allowed]!;
      wait = Math.max(wait, Math.ceil((oldest + SIGNIN_WINDOW_MS - now) / 1000));
    }
  }
  return wait;
}

export function recordSignInFailure(keys: string[], now = Date.now()): void {
  const t = table();
  if (t.size > MAX_KEYS) t.clear();
  for (const key of keys) {
    const entry = t.get(key) ?? { failures: [] };
    entry.failures.push(now);
    if (entry.failures.length > 50) entry.failures.shift();
    t.set(key, entry);
  }
}

export function clearSignInFailures(keys: string[]): void {
  for (const key of keys) table().delete(key);
}

export function throttleKeys(email: string, ip: string | null): string[] {
  return [`email:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])];
}
