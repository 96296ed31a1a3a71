// Sign-out, sign-in and its throttling. Failed sign-ins are also counted per client address (all
// tests come from 127.0.0.1), so this file gets its own server: a different serverEnv forces a
// new worker, and the lock-out cannot leak into other specs' sign-ins. That server also has GitHub
// sign-in configured (never contacted: the button is only looked at).
import { test, expect } from "./fixtures";
import { allowHttpErrors, newUser, signIn, signOut, signUp } from "./account-helpers";

test.use({ serverEnv: { HS_E2E_SERVER: "sign-in", GITHUB_ID: "e2e-client-id", GITHUB_SECRET: "e2e-client-secret" } });

test("sign out, sign in again (following a same-site callbackUrl), then five wrong passwords make this address back off", async ({
  page,
  pageErrors,
}) => {
  const user = newUser("Sam");
  await signUp(page, user);
  await signOut(page, user);

  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("button", { name: user.name })).toBeVisible();
  await signOut(page, user);

  await page.goto("/signin?callbackUrl=%2Fsettings");
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/settings$/);
  await signOut(page, user);

  // Another site as callbackUrl is ignored (the form would go to "/").
  await page.goto("/signin?callbackUrl=https%3A%2F%2Fevil.example%2F");
  const alert = page.getByRole("form", { name: "Sign in" }).getByRole("alert");
  for (let i = 1; i <= 5; i++) {
    await signIn(page, user.email, `wrong password ${i}`);
    await expect(alert).toHaveText("Wrong email or password.");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  }
  // This address backs off now (30 s, then doubling), even with the right password.
  await signIn(page, user.email, user.password);
  await expect(alert).toHaveText(/^Too many failed sign-ins, try again in \d+ seconds\.$/);
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  allowHttpErrors(pageErrors, [401]);
});

test("signed-in pages send visitors to sign in, which offers the configured OAuth providers and explains their errors", async ({
  page,
  request,
}) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings$/);
  await expect(page.getByRole("button", { name: "Continue with GitHub" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Continue with Google/ })).toHaveCount(0);
  await page.goto("/signin?error=OAuthAccountNotLinked");
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("An account with this email already exists");
  expect((await request.get("/w/ws_doesnotexist/settings")).status()).toBe(404);
});
