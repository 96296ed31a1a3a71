import { describe, expect, test } from "vitest";
import { safeCallbackUrl, withCallback } from "@/lib/http/safe-callback";
import { signInErrorMessage } from "@/components/account/signin-error";

describe("safeCallbackUrl", () => {
  test.each([
    [undefined, "/"],
    [null, "/"],
    ["", "/"],
    ["/", "/"],
    ["/settings", "/settings"],
    ["/invite/hs_inv_abc?x=1#top", "/invite/hs_inv_abc?x=1#top"],
    [["/w/ws_1/settings", "/other"], "/w/ws_1/settings"],
    ["/a/../settings", "/settings"],
    ["https://evil.example/", "/"],
    ["http://127.0.0.1:3000/settings", "/"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["/\tevil", "/"],
    ["/\n//evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["settings", "/"],
    [`/${"a".repeat(3000)}`, "/"],
  ] as const)("%j → %s", (input, expected) => {
    expect(safeCallbackUrl(input as string | string[] | null | undefined)).toBe(expected);
  });

  test("withCallback only adds a callback for real paths", () => {
    expect(withCallback("/signin", "/invite/hs_inv_x")).toBe("/signin?callbackUrl=%2Finvite%2Fhs_inv_x");
    expect(withCallback("/signup", "https://evil.example")).toBe("/signup");
    expect(withCallback("/signin", "/")).toBe("/signin");
  });
});

describe("signInErrorMessage", () => {
  test.each([
    [null, null],
    ["", null],
    ["CredentialsSignin", "Wrong email or password."],
    ["TooManyAttempts:900", "Too many failed sign-ins, try again in 15 minutes."],
    ["TooManyAttempts:61", "Too many failed sign-ins, try again in 2 minutes."],
    ["TooManyAttempts:60", "Too many failed sign-ins, try again in 1 minute."],
    ["TooManyAttempts:30", "Too many failed sign-ins, try again in 30 seconds."],
    ["TooManyAttempts:1", "Too many failed sign-ins, try again in 1 second."],
    ["TooManyAttempts:0", "Too many failed sign-ins, try again in 1 second."],
    ["TooManyAttempts", "Too many failed sign-ins, try again later."],
    ["TooManyAttempts:abc", "Sign-in failed. Try again."],
    ["OAuthCallback", "Signing in with that provider did not work. Try again, or use your email and password."],
    ["<script>", "Sign-in failed. Try again."],
  ])("%j", (code, expected) => {
    expect(signInErrorMessage(code)).toBe(expected);
  });

  test("OAuthAccountNotLinked explains what to do", () => {
    expect(signInErrorMessage("OAuthAccountNotLinked")).toMatch(/already exists.*email and password/);
  });
});
