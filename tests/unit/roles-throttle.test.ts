import { afterEach, describe, expect, it } from "vitest";
import { ACTIONS, can, lowerOf, ROLES, type Action, type Role } from "@/lib/auth/roles";
import { clearSignInFailures, recordSignInFailure, signInRetryAfter, SIGNIN_WINDOW_MS, throttleKeys } from "@/lib/auth/throttle";
import { resetShared } from "@/lib/runtime/shared";

describe("roles", () => {
  const table: Record<Role, Action[]> = {
    viewer: ["endpoint.read", "capture.read", "workspace.read", "token.manage"],
    member: ["endpoint.create", "endpoint.update", "endpoint.delete", "capture.delete", "capture.reveal", "capture.replay", "share.manage", "signature.manage"],
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

  it("locks an email after 5 failures for the rest of the 15-minute window", () => {
    const keys = throttleKeys("A@x.io", "10.0.0.1");
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) recordSignInFailure(keys, t0 + i);
    expect(signInRetryAfter(keys, t0 + 10)).toBe(0);
    recordSignInFailure(keys, t0 + 5);
    expect(signInRetryAfter(throttleKeys("a@X.io".toLowerCase(), null), t0 + 10)).toBe(Math.ceil((SIGNIN_WINDOW_MS - 10) / 1000));
    expect(signInRetryAfter(keys, t0 + SIGNIN_WINDOW_MS + 1)).toBe(0);
  });

  it("an address is locked only after 30 failures across emails", () => {
    const t0 = 5_000_000;
    for (let i = 0; i < 29; i++) recordSignInFailure(throttleKeys(`u${i}@x.io`, "10.0.0.2"), t0);
    expect(signInRetryAfter(throttleKeys("fresh@x.io", "10.0.0.2"), t0)).toBe(0);
    recordSignInFailure(throttleKeys("u29@x.io", "10.0.0.2"), t0);
    expect(signInRetryAfter(throttleKeys("fresh@x.io", "10.0.0.2"), t0)).toBeGreaterThan(0);
    expect(signInRetryAfter(throttleKeys("fresh@x.io", "10.0.0.3"), t0)).toBe(0);
  });

  it("success clears the email's failures", () => {
    const keys = throttleKeys("b@x.io", null);
    for (let i = 0; i < 4; i++) recordSignInFailure(keys);
    clearSignInFailures(keys);
    recordSignInFailure(keys);
    expect(signInRetryAfter(keys)).toBe(0);
  });
});
