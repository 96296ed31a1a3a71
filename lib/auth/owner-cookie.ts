// Anonymous ownership: a signed, httpOnly cookie naming the owner key that endpoints created
// without an account belong to. Accounts (issue 4) replace this principal without changing routes.
import { createHmac, timingSafeEqual } from "node:crypto";
import { config } from "../config";
import { signingSecret } from "../runtime/secret";
import { newOwnerKey } from "../runtime/ids";

export const OWNER_COOKIE = "hs_owner";
const MAX_AGE_SECONDS = 365 * 24 * 3600;

function sign(ownerKey: string): string {
  return createHmac("sha256", signingSecret()).update(`owner:${ownerKey}`).digest("base64url");
}

export function encodeOwnerCookie(ownerKey: string): string {
  return `${ownerKey}.${sign(ownerKey)}`;
}

export function decodeOwnerCookie(value: string | undefined): { ownerKey: string } | null {
  if (!value) return null;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const ownerKey = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(ownerKey));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { ownerKey };
}

export function ownerCookieHeader(ownerKey: string): string {
  const secure = config().publicUrl.startsWith("https://") ? "; Secure" : "";
  return `${OWNER_COOKIE}=${encodeOwnerCookie(ownerKey)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_SECONDS}${secure}`;
}

/** The caller's principal, or a fresh one (with the cookie that establishes it) when there is none. */
export function ownerKeyOrNew(cookieValue: string | undefined): { ownerKey: string; setCookie?: string } {
  const existing = decodeOwnerCookie(cookieValue);
  if (existing) return existing;
  const ownerKey = newOwnerKey();
  return { ownerKey, setCookie: ownerCookieHeader(ownerKey) };
}

/** Expires the anonymous cookie (after its endpoints were claimed into an account). */
export function clearOwnerCookieHeader(): string {
  return `${OWNER_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
