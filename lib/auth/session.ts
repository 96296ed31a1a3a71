// The next-auth JWT session: its secret, cookie name and decoding, shared by the next-auth route
// (lib/auth/auth-options.ts) and by every server-side principal lookup.
import { createHmac } from "node:crypto";
import { decode } from "next-auth/jwt";
import { config } from "../config";
import { signingSecret } from "../runtime/secret";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** next-auth's JWT secret, derived from the server's signing secret (SECRET or data/secret.key). */
export function authSecret(): string {
  return createHmac("sha256", signingSecret()).update("next-auth-jwt").digest("base64url");
}

export function secureCookies(): boolean {
  return config().publicUrl.startsWith("https://");
}

export function sessionCookieName(): string {
  return secureCookies() ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

export interface SessionClaims {
  userId: string;
  email: string;
  name: string;
  /** The server-side session record (lib/auth/sessions.ts) the JWT belongs to. */
  sessionId: string;
}

/**
 * The session in the cookie value(s), or null when absent, tampered, expired, or issued before
 * sessions had server-side records (no `sid`: such a cookie cannot be revoked, so it is refused
 * and its holder signs in once more). Whether the record is still live is checked by the caller.
 */
export async function decodeSession(cookie: (name: string) => string | undefined): Promise<SessionClaims | null> {
  const name = sessionCookieName();
  let token = cookie(name);
  if (!token) {
    // next-auth splits a large JWT over name.0, name.1, …
    const chunks: string[] = [];
    for (let i = 0; ; i++) {
      const part = cookie(`${name}.${i}`);
      if (!part) break;
      chunks.push(part);
    }
    token = chunks.join("") || undefined;
  }
  if (!token) return null;
  try {
    const jwt = await decode({ token, secret: authSecret() });
    if (!jwt || typeof jwt.sub !== "string" || typeof jwt.sid !== "string") return null;
    return { userId: jwt.sub, email: String(jwt.email ?? ""), name: String(jwt.name ?? ""), sessionId: jwt.sid };
  } catch {
    return null;
  }
}

/**
 * Set-Cookie values that expire the session cookie (and the chunks next-auth splits a large one
 * into) in the browser, for the routes that end the caller's own session outside next-auth.
 */
export function clearSessionCookies(present: string[]): string[] {
  const name = sessionCookieName();
  const secure = secureCookies() ? "; Secure" : "";
  const names = present.filter((n) => n === name || n.startsWith(`${name}.`));
  return (names.length ? names : [name]).map((n) => `${n}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`);
}
