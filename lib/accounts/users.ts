// Accounts: sign-up, credential checks (argon2id, throttled), OAuth users, and claiming the
// endpoints a visitor made anonymously before signing up or in.
import "../runtime/server-only";
import { z } from "zod";
import { db } from "../db/client";
import { conflict } from "../errors";
import { AppError } from "../errors";
import { burnPasswordCheck, hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from "../auth/password";
import { forgetSignInFailures, noteSignInFailure, retryText, signInKeys, signInWait, takeSignUp, type SignInKeys } from "../auth/throttle";
import { endUserSessions, signedInFrom } from "../auth/sessions";
import type { Principal } from "../auth/principal";
import { config } from "../config";
import { newUserId, newWorkspaceId } from "../runtime/ids";
import { audit } from "../audit/audit";
import { forgetCaptureTarget } from "../endpoints/capture-target";
import { notExpired } from "../auth/principal";

export const signUpSchema = z
  .object({
    email: z.string().trim().toLowerCase().email().max(254),
    password: z.string().min(PASSWORD_MIN, `password must be at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX),
    name: z.string().trim().min(1).max(120),
  })
  .strict();

export interface UserView {
  id: string;
  email: string;
  name: string;
  personalWorkspaceId: string;
}

export class SignInThrottled extends AppError {
  constructor(retryAfterSeconds: number) {
    super("too_many_attempts", `Too many failed sign-ins. Try again in ${retryText(retryAfterSeconds)}.`, retryAfterSeconds);
  }
}

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(PASSWORD_MAX),
    newPassword: z.string().min(PASSWORD_MIN, `newPassword must be at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX),
  })
  .strict();

async function createUserWithWorkspace(data: { email: string; name: string; passwordHash: string | null }) {
  const userId = newUserId();
  const workspaceId = newWorkspaceId();
  await db().$transaction([
    db().user.create({ data: { id: userId, ...data } }),
    db().workspace.create({ data: { id: workspaceId, name: `${data.name}'s workspace`, personal: true } }),
    db().membership.create({ data: { workspaceId, userId, role: "owner" } }),
  ]);
  return { id: userId, email: data.email, name: data.name, personalWorkspaceId: workspaceId };
}

/** A sign-up answers no sooner than this after it started (see signUp). */
export const SIGNUP_MIN_MS = 200;

/**
 * Creates an account. Limited per client address (SIGNUP_MAX_PER_ADDRESS an hour, whether the
 * email is new or taken). The answer's timing does not tell which emails have accounts: the
 * password is hashed before the email is looked up, so a taken email costs the same argon2id work
 * as a new one, and both answers wait until SIGNUP_MIN_MS has passed, which hides what is left
 * (the new account's inserts, a few milliseconds) unless the server is slower than that floor.
 * The 409 itself does say the email is taken, as a sign-up form must; the per-address limit makes
 * asking that in bulk slow.
 */
export async function signUp(
  input: z.infer<typeof signUpSchema>,
  ctx: { ownerKey?: string | null; ip?: string | null } = {},
): Promise<UserView> {
  const limit = config().SIGNUP_MAX_PER_ADDRESS;
  const wait = await takeSignUp(ctx.ip ?? null, limit);
  if (wait > 0) throw new AppError("too_many_signups", `Too many sign-ups from your address. Try again in ${retryText(wait)}.`, wait);
  const started = performance.now();
  try {
    const passwordHash = await hashPassword(input.password);
    const existing = await db().user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing) throw conflict("email_taken", "An account with this email already exists. Sign in instead.");
    let user: UserView;
    try {
      user = await createUserWithWorkspace({ email: input.email, name: input.name, passwordHash });
    } catch (err) {
      if ((err as { code?: string }).code === "P2002")
        throw conflict("email_taken", "An account with this email already exists. Sign in instead.");
      throw err;
    }
    const actor = { actorType: "user" as const, actorId: user.id, actorLabel: user.email };
    await audit(actor, {
      workspaceId: user.personalWorkspaceId,
      action: "auth.sign_up",
      targetType: "user",
      targetId: user.id,
      ip: ctx.ip,
    });
    if (ctx.ownerKey) await claimAnonymousEndpoints(user.id, ctx.ownerKey);
    return user;
  } finally {
    const left = SIGNUP_MIN_MS - (performance.now() - started);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
}

export async function personalWorkspaceId(userId: string): Promise<string> {
  const row = await db().membership.findFirst({ where: { userId, workspace: { personal: true } }, select: { workspaceId: true } });
  if (row) return row.workspaceId;
  // Repair: every user has a personal workspace.
  const workspaceId = newWorkspaceId();
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } });
  await db().$transaction([
    db().workspace.create({ data: { id: workspaceId, name: `${user.name}'s workspace`, personal: true } }),
    db().membership.create({ data: { workspaceId, userId, role: "owner" } }),
  ]);
  return workspaceId;
}

/**
 * Checks an email and password. Throws SignInThrottled while this address backs off for the
 * account or overall, or while the account backs off from everywhere (addresses it signed in from
 * before are exempt from that one: lib/auth/throttle.ts); returns null on a wrong email or
 * password (the same answer, the same time).
 */
export async function verifyCredentials(
  emailInput: string,
  password: string,
  ip: string | null,
): Promise<{ id: string; email: string; name: string } | null> {
  const email = emailInput.trim().toLowerCase();
  const keys = signInKeys(email, ip);
  await assertAddressNotThrottled(keys);
  const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  await assertAccountNotThrottled(keys, user?.id ?? null, ip);
  let ok = false;
  if (user?.passwordHash) ok = await verifyPassword(user.passwordHash, password);
  else await burnPasswordCheck(password);
  if (!ok || !user) {
    await noteSignInFailure(keys);
    if (user) {
      await audit(
        { actorType: "user", actorId: user.id, actorLabel: user.email },
        { workspaceId: await personalWorkspaceId(user.id), action: "auth.sign_in_failed", targetType: "user", targetId: user.id, ip },
      );
    }
    return null;
  }
  await forgetSignInFailures(keys);
  return { id: user.id, email: user.email, name: user.name };
}

/** This address backs off, for this account or for all (checked before anything else: no database). */
async function assertAddressNotThrottled(keys: SignInKeys): Promise<void> {
  const wait = await signInWait(keys, ["pair", "ip"]);
  if (wait > 0) throw new SignInThrottled(wait);
}

async function assertAccountNotThrottled(keys: SignInKeys, userId: string | null, ip: string | null): Promise<void> {
  const accountWait = await signInWait(keys, ["account"]);
  // Unknown emails back off the same way (no user, so no known address): nothing to enumerate.
  if (accountWait > 0 && !(userId && ip && (await signedInFrom(userId, ip)))) throw new SignInThrottled(accountWait);
}

/**
 * Changes the signed-in user's password (the current one is checked, throttled like a sign-in)
 * and ends every other session of the account. The session making the change stays signed in:
 * it just proved it knows the password, and signing it out would only make the user sign in
 * again with the password they just set; anyone else holding a session (a copied cookie, a
 * forgotten device) is out. API tokens are not sessions and stay (they are revoked on their own).
 */
export async function changePassword(
  principal: Principal,
  input: z.infer<typeof changePasswordSchema>,
  ip: string | null,
): Promise<{ sessionsEnded: number }> {
  if (principal.kind !== "user" || !principal.userId || !principal.sessionId) {
    throw new AppError("session_required", "A password is changed from a signed-in session.");
  }
  const user = await db().user.findUniqueOrThrow({
    where: { id: principal.userId },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!user.passwordHash)
    throw conflict("no_password", "This account signs in through an identity provider and has no password to change.");
  const keys = signInKeys(user.email, ip);
  await assertAddressNotThrottled(keys);
  await assertAccountNotThrottled(keys, user.id, ip);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await noteSignInFailure(keys);
    throw new AppError("wrong_password", "The current password is not right.");
  }
  await db().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(input.newPassword) } });
  const sessionsEnded = await endUserSessions(user.id, principal.sessionId);
  await audit(principal, {
    workspaceId: await personalWorkspaceId(user.id),
    action: "auth.password_change",
    targetType: "user",
    targetId: user.id,
    detail: { sessionsEnded },
    ip,
  });
  return { sessionsEnded };
}

/** "Sign out everywhere": ends every session of the signed-in user, the current one included. */
export async function signOutEverywhere(principal: Principal, ip: string | null): Promise<{ sessionsEnded: number }> {
  if (principal.kind !== "user" || !principal.userId) {
    throw new AppError("session_required", "Sessions are ended from a signed-in session.");
  }
  const sessionsEnded = await endUserSessions(principal.userId);
  await audit(principal, {
    workspaceId: await personalWorkspaceId(principal.userId),
    action: "auth.sign_out_everywhere",
    targetType: "user",
    targetId: principal.userId,
    detail: { sessionsEnded },
    ip,
  });
  return { sessionsEnded };
}

export async function recordSignIn(user: { id: string; email: string }, method: string, ip: string | null): Promise<void> {
  await audit(
    { actorType: "user", actorId: user.id, actorLabel: user.email },
    {
      workspaceId: await personalWorkspaceId(user.id),
      action: "auth.sign_in",
      targetType: "user",
      targetId: user.id,
      detail: { method },
      ip,
    },
  );
}

/**
 * An OAuth sign-in: the linked account's user, or a new user. An existing password account with
 * the same email is never linked silently (that would let whoever controls the OAuth identity take
 * it over); the user signs in with the password instead.
 */
export async function oauthUser(provider: string, providerAccountId: string, email: string | null, name: string | null) {
  const linked = await db().oAuthAccount.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  if (linked) return linked.user;
  const address = (email ?? `${provider}-${providerAccountId}@users.noreply.hookscope`).toLowerCase();
  const clash = await db().user.findUnique({ where: { email: address }, select: { id: true } });
  if (clash) return null;
  const user = await createUserWithWorkspace({ email: address, name: name || address.split("@")[0]!, passwordHash: null });
  await db().oAuthAccount.create({ data: { provider, providerAccountId, userId: user.id } });
  return { id: user.id, email: user.email, name: user.name };
}

/** How many live endpoints a visitor's anonymous cookie still owns (to claim after an OAuth sign-in). */
export function unclaimedEndpointCount(ownerKey: string): Promise<number> {
  return db().endpoint.count({ where: unclaimedBy(ownerKey) });
}

const unclaimedBy = (ownerKey: string) => ({ ownerKey, workspaceId: null, ...notExpired() });

/**
 * Moves a visitor's live anonymous endpoints into the user's personal workspace; they stop
 * expiring. Returns how many were claimed.
 */
export async function claimAnonymousEndpoints(userId: string, ownerKey: string): Promise<number> {
  const rows = await db().endpoint.findMany({
    where: unclaimedBy(ownerKey),
    select: { id: true, token: true, alias: true },
  });
  if (rows.length === 0) return 0;
  const workspaceId = await personalWorkspaceId(userId);
  const { count } = await db().endpoint.updateMany({
    where: { id: { in: rows.map((r) => r.id) }, workspaceId: null },
    data: { workspaceId, expiresAt: null },
  });
  await db().shareLink.updateMany({ where: { endpointId: { in: rows.map((r) => r.id) } }, data: { workspaceId } });
  for (const r of rows) forgetCaptureTarget(r.token, r.alias);
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true } });
  await audit(
    { actorType: "user", actorId: userId, actorLabel: user?.email ?? userId },
    { workspaceId, action: "endpoint.claim", targetType: "workspace", targetId: workspaceId, detail: { endpoints: rows.map((r) => r.id) } },
  );
  return count;
}
