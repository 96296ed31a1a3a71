// next-auth v4 configuration: credentials (email + argon2id password, throttled) always; GitHub,
// Google and any OIDC issuer when their variables are set. JWT sessions, each backed by a
// server-side record (lib/auth/sessions.ts) that sign-out ends; next-auth's own CSRF double-submit
// cookie protects its sign-in and sign-out POSTs. Built per request, never at build time (the
// secret comes from SECRET or data/secret.key; the client address is the request's).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import type { Provider } from "next-auth/providers/index";
import { config } from "../config";
import { log } from "../runtime/log";
import { claimAnonymousEndpoints, oauthUser, recordSignIn, SignInThrottled, verifyCredentials } from "./users";
import { decodeOwnerCookie, OWNER_COOKIE } from "../auth/owner-cookie";
import { CLIENT_IP_HEADER } from "../auth/client-ip";
import { authSecret, secureCookies, SESSION_MAX_AGE_SECONDS } from "../auth/session";
import { endSession, startSession } from "../auth/sessions";

type HeaderBag = Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderBag, name: string): string | null {
  const v = headers?.[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

function cookieFrom(headers: HeaderBag, name: string): string | undefined {
  const raw = header(headers, "cookie");
  if (!raw) return undefined;
  for (const part of raw.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface OAuthProviderInfo {
  id: string;
  name: string;
}

/** The OAuth providers switched on by configuration (the sign-in page shows a button for each). */
export function enabledOAuthProviders(): OAuthProviderInfo[] {
  const c = config();
  const list: OAuthProviderInfo[] = [];
  if (c.GITHUB_ID && c.GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (c.GOOGLE_ID && c.GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  if (c.OIDC_ISSUER && c.OIDC_CLIENT_ID && c.OIDC_CLIENT_SECRET) list.push({ id: "oidc", name: c.OIDC_NAME });
  return list;
}

export function authOptions(request: { ip: string | null } = { ip: null }): NextAuthOptions {
  const c = config();
  const providers: Provider[] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = credentials?.email ?? "";
        const password = credentials?.password ?? "";
        if (!email || !password) return null;
        const ip = header(req?.headers, CLIENT_IP_HEADER);
        let user: Awaited<ReturnType<typeof verifyCredentials>>;
        try {
          user = await verifyCredentials(email, password, ip);
        } catch (err) {
          // next-auth hands this message to the client as `error`.
          if (err instanceof SignInThrottled) throw new Error(`TooManyAttempts:${err.retryAfterSeconds}`);
          throw err;
        }
        if (!user) return null;
        await recordSignIn(user, "credentials", ip);
        const anonymous = decodeOwnerCookie(cookieFrom(req?.headers, OWNER_COOKIE));
        if (anonymous) await claimAnonymousEndpoints(user.id, anonymous.ownerKey);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ];
  if (c.GITHUB_ID && c.GITHUB_SECRET) providers.push(GitHubProvider({ clientId: c.GITHUB_ID, clientSecret: c.GITHUB_SECRET }));
  if (c.GOOGLE_ID && c.GOOGLE_SECRET) providers.push(GoogleProvider({ clientId: c.GOOGLE_ID, clientSecret: c.GOOGLE_SECRET }));
  if (c.OIDC_ISSUER && c.OIDC_CLIENT_ID && c.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: c.OIDC_NAME,
      type: "oauth",
      wellKnown: `${c.OIDC_ISSUER}/.well-known/openid-configuration`,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      clientId: c.OIDC_CLIENT_ID,
      clientSecret: c.OIDC_CLIENT_SECRET,
      profile(p: { sub: string; email?: string; name?: string }) {
        return { id: p.sub, email: p.email ?? null, name: p.name ?? null };
      },
    });
  }
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: secureCookies(),
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    logger: {
      // Without PUBLIC_URL, next-auth has no origin and answers with relative redirects, which is what
      // lets the app be reached by any host name (localhost, 127.0.0.1, a LAN address); its warning about
      // the missing NEXTAUTH_URL is then noise on every start. Other warnings go to the structured log.
      warn(code) {
        if (code === "NEXTAUTH_URL" && !c.PUBLIC_URL) return;
        log().warn({ code }, "next-auth warning");
      },
    },
    events: {
      // next-auth only drops the cookie; ending the record is what makes every copy of it invalid.
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(token.sid);
      },
    },
    callbacks: {
      async signIn({ user, account }) {
        if (account?.type !== "oauth") return true;
        const ours = await oauthUser(account.provider, account.providerAccountId, user.email ?? null, user.name ?? null);
        if (!ours) return "/signin?error=OAuthAccountNotLinked";
        (user as { hookscopeUserId?: string }).hookscopeUserId = ours.id;
        user.email = ours.email;
        user.name = ours.name;
        await recordSignIn(ours, account.provider, null);
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = (user as { hookscopeUserId?: string }).hookscopeUserId ?? user.id;
          token.email = user.email;
          token.name = user.name;
          // A sign-in (any provider): a new server-side session, named in the encrypted JWT.
          token.sid = await startSession(token.sub, request.ip);
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
