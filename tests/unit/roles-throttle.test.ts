import { afterEach, describe, expect, it } from "vitest";
import { ACTIONS, can, lowerOf, ROLES, type Action, type Role } from "@/lib/auth/roles";
import {
  backoffMs,
  clearSignInFailures,
  recordSignInFailure,
  recordSignUp,
  retryText,
  SIGNIN_BACKOFF_CAP_MS,
  SIGNIN_BACKOFF_FIRST_MS,
  SIGNIN_FORGET_MS,
  signInKeys,
  signInRetryAfter,
  SIGNUP_WINDOW_MS,
  signUpRetryAfter,
} from "@/lib/auth/throttle";
import { resetShared } from "@/lib/runtime/shared";

describe("roles", () => {
  const table: Record<Role, Action[]> = {
    viewer: ["endpoint.read", "capture.read", "workspace.read", "token.manage"],
    member: [
      "endpoint.create",
      "endpoint.update",
      "endpoint.delete",
      "capture.delete",
      "capture.reveal",
      "capture.replay",
      "share.manage",
      "signature.manage",
      "view.manage",
    ],
    admin: ["workspace.update", "member.manage", "audit.read"],
    owner: ["workspace.delete"],
  };

  it("grants each role its actions and everything below, nothing above", () => {
    for (const [i, role] of ROLES.entries()) {
      for (const [j, lower] of ROLES.entries()) {
        for (const action of table[lower]) expect(can(role, action), `${role} ${action}`).toBe(j <= i);
      }
    }
    // Every action is in the table above.
    expect(Object.values(table).flat().sort()).toEqual((Object.keys(ACTIONS) as Action[]).sort());
  });

  it("a viewer reads but cannot reveal, replay, delete or change settings", () => {
    expect(can("viewer", "capture.read")).toBe(true);
    for (const action of ["capture.reveal", "capture.replay", "capture.delete", "endpoint.update", "share.manage"] as const) {
      expect(can("viewer", action)).toBe(false);
    }
  });

  it("lowerOf picks the lesser role", () => {
    expect(lowerOf("owner", "viewer")).toBe("viewer");
    expect(lowerOf("member", "admin")).toBe("member");
  });
});

describe("sign-in throttle", () => {
  afterEach(() => resetShared("signin-throttle"));
  const t0 = 1_000_000;

  it("backs off one address on one account after 5 failures: 30 s, then doubling, capped at 15 minutes", () => {
    const keys = signInKeys("A@x.io", "10.0.0.1");
    for (let i = 0; i < 4; i++) recordSignInFailure(keys, t0);
    expect(signInRetryAfter(keys, "pair", t0)).toBe(0);
    recordSignInFailure(keys, t0);
    expect(signInRetryAfter(signInKeys("a@X.io", "10.0.0.1"), "pair", t0)).toBe(30);
    expect(signInRetryAfter(keys, "pair", t0 + 30_000)).toBe(0);
    recordSignInFailure(keys, t0 + 30_000);
    expect(signInRetryAfter(keys, "pair", t0 + 30_000)).toBe(60);
    for (let i = 0; i < 20; i++) recordSignInFailure(keys, t0 + 40_000);
    expect(signInRetryAfter(keys, "pair", t0 + 40_000)).toBe(SIGNIN_BACKOFF_CAP_MS / 1000);
    expect(backoffMs(5, 5)).toBe(SIGNIN_BACKOFF_FIRST_MS);
    expect(backoffMs(4, 5)).toBe(0);
    expect(backoffMs(1000, 5)).toBe(SIGNIN_BACKOFF_CAP_MS);
  });

  it("another address is not held back by one address's failures on the account", () => {
    const attacker = signInKeys("owner@x.io", "203.0.113.9");
    for (let i = 0; i < 10; i++) recordSignInFailure(attacker, t0);
    expect(signInRetryAfter(attacker, "pair", t0)).toBeGreaterThan(0);
    const owner = signInKeys("owner@x.io", "198.51.100.7");
    for (const scope of ["pair", "ip", "account"] as const) expect(signInRetryAfter(owner, scope, t0)).toBe(0);
  });

  it("an address backs off after 30 failures across accounts", () => {
    for (let i = 0; i < 29; i++) recordSignInFailure(signInKeys(`u${i}@x.io`, "10.0.0.2"), t0);
    expect(signInRetryAfter(signInKeys("fresh@x.io", "10.0.0.2"), "ip", t0)).toBe(0);
    recordSignInFailure(signInKeys("u29@x.io", "10.0.0.2"), t0);
    expect(signInRetryAfter(signInKeys("fresh@x.io", "10.0.0.2"), "ip", t0)).toBe(30);
    expect(signInRetryAfter(signInKeys("fresh@x.io", "10.0.0.3"), "ip", t0)).toBe(0);
  });

  it("an account backs off after 20 failures from anywhere, each address below its own limit", () => {
    for (let i = 0; i < 20; i++) recordSignInFailure(signInKeys("spread@x.io", `10.1.0.${i}`), t0);
    const fresh = signInKeys("spread@x.io", "10.2.0.1");
    expect(signInRetryAfter(fresh, "pair", t0)).toBe(0);
    expect(signInRetryAfter(fresh, "account", t0)).toBe(30);
  });

  it("a correct password clears only that address's count for the account; an hour of quiet forgets a key", () => {
    const keys = signInKeys("b@x.io", "10.0.0.4");
    for (let i = 0; i < 25; i++) recordSignInFailure(keys, t0);
    clearSignInFailures(keys);
    expect(signInRetryAfter(keys, "pair", t0)).toBe(0);
    expect(signInRetryAfter(keys, "account", t0)).toBeGreaterThan(0);
    expect(signInRetryAfter(keys, "account", t0 + SIGNIN_FORGET_MS + 1)).toBe(0);
  });

  it("says how long in words", () => {
    expect(retryText(1)).toBe("1 second");
    expect(retryText(30)).toBe("30 seconds");
    expect(retryText(60)).toBe("1 minute");
    expect(retryText(900)).toBe("15 minutes");
  });
});

describe("sign-up throttle", () => {
  afterEach(() => resetShared("signup-throttle"));
  const t0 = 2_000_000;

  it("allows `limit` sign-ups per address an hour, then says when the oldest falls out of the window", () => {
    for (let i = 0; i < 3; i++) {
      expect(signUpRetryAfter("10.0.0.9", 3, t0 + i * 1000)).toBe(0);
      recordSignUp("10.0.0.9", 3, t0 + i * 1000);
    }
    expect(signUpRetryAfter("10.0.0.9", 3, t0 + 3000)).toBe(Math.ceil((SIGNUP_WINDOW_MS - 3000) / 1000));
    expect(signUpRetryAfter("10.0.0.10", 3, t0 + 3000)).toBe(0);
    expect(signUpRetryAfter("10.0.0.9", 3, t0 + SIGNUP_WINDOW_MS + 1)).toBe(0);
    expect(signUpRetryAfter("10.0.0.9", 0, t0 + 3000)).toBe(0);
  });
});
