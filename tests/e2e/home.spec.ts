import { test, expect } from "./fixtures";

test("the home page lists the visitor's endpoints and opens one", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  await page.goto("/");
  const list = page.getByRole("region", { name: "Your endpoints" });
  const link = list.getByRole("link", { name: new RegExp(captureUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/e\/ep_/);
  await expect(page.getByTestId("capture-url")).toHaveText(captureUrl);
});

test("the theme toggle switches light and dark and keeps the choice across reloads", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const toggle = page.getByRole("button", { name: /^Theme:/ });
  await expect(toggle).toHaveAccessibleName("Theme: system");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const lightBackground = await background();

  await toggle.click();
  await expect(toggle).toHaveAccessibleName("Theme: light");
  await toggle.click();
  await expect(toggle).toHaveAccessibleName("Theme: dark");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  expect(await background()).not.toBe(lightBackground);

  await page.reload();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/); // rendered by the server from the cookie
  await expect(page.getByRole("button", { name: "Theme: dark" })).toBeVisible();
  expect(await background()).not.toBe(lightBackground);
});
