// Pictures of the account pages for a look-over, light and dark:
// ACCOUNT_SCREENSHOTS=<dir> npx playwright test account-screenshots
import path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { allowHttpErrors, fillSignUp, newPage, newUser } from "./account-helpers";

const out = process.env.ACCOUNT_SCREENSHOTS ?? "";
test.skip(!out, "set ACCOUNT_SCREENSHOTS=<dir> to take them");

for (const scheme of ["light", "dark"] as const) {
  test(`account pages: ${scheme}`, async ({ page, browser, baseURL, createEndpoint, pageErrors }) => {
    const shot = async (p: Page, name: string, fullPage = true) => {
      await p.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
      await p.screenshot({ path: path.join(out, `${name}-${scheme}.png`), fullPage });
    };
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1100, height: 760 });
    await createEndpoint();
    await page.goto("/");
    await expect(page.getByTestId("anonymous-note")).toBeVisible();
    await shot(page, "home-anonymous");

    await page.goto("/signin?error=TooManyAttempts:840");
    await shot(page, "signin-error");
    await page.goto("/signup");
    await shot(page, "signup");

    const owner = newUser("Ada");
    await fillSignUp(page, owner);
    await expect(page.getByRole("button", { name: owner.name })).toBeVisible();
    await page.getByRole("button", { name: owner.name }).click();
    await shot(page, "home-signed-in-menu", false);

    await page.goto("/settings");
    await page.getByLabel("Token name").fill("Deploy script");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId("new-token-value")).toBeVisible();
    await page.getByLabel("New team workspace").fill("Payments team");
    await shot(page, "settings");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Payments team" })).toBeVisible();

    await page.getByRole("button", { name: "Create invite link" }).click();
    const inviteUrl = (await page.getByTestId("new-invite-url").textContent())!;
    const page2 = await newPage(browser, baseURL);
    await page2.emulateMedia({ colorScheme: scheme });
    await page2.setViewportSize({ width: 1100, height: 760 });
    await page2.goto(new URL(inviteUrl).pathname);
    await expect(page2.getByTestId("invite-workspace")).toBeVisible();
    await shot(page2, "invite-anonymous");
    const guest = newUser("Grace");
    await page2.getByRole("link", { name: "Create an account" }).click();
    await fillSignUp(page2, guest);
    await page2.getByRole("button", { name: /Accept and join/ }).click();
    await expect(page2).toHaveURL(/workspace=/);

    await page.reload();
    await page.getByLabel(`Role of ${guest.email}`).selectOption("viewer");
    await page.getByRole("button", { name: "Create invite link" }).click();
    const rules = page.getByRole("region", { name: "Redaction rules" });
    await rules.getByLabel("Header name", { exact: true }).fill("X-Customer-*");
    await rules.getByRole("button", { name: "Add rule" }).click();
    await rules.getByLabel("Kind").selectOption("json_path");
    await rules.getByLabel("JSON path", { exact: true }).fill("$.card[");
    await rules.getByRole("button", { name: "Add rule" }).click();
    await rules.getByRole("button", { name: "Save rules" }).click();
    await expect(rules.getByRole("alert")).toBeVisible();
    await page.reload();
    await rules.getByLabel("Kind").selectOption("json_path");
    await rules.getByLabel("JSON path", { exact: true }).fill("$.card[");
    await rules.getByRole("button", { name: "Add rule" }).click();
    await rules.getByRole("button", { name: "Save rules" }).click();
    await expect(rules.getByRole("alert")).toBeVisible();
    await shot(page, "workspace-settings-owner");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "workspace-settings-390");

    await page2.reload();
    await expect(page2.getByRole("button", { name: "Create a capture URL" })).toBeDisabled();
    await shot(page2, "home-viewer");
    await page2.context().close();
    allowHttpErrors(pageErrors, [422]);
  });
}
