// The signature panel end to end in Chromium: requests signed with node:crypto go through the capture door, the
// panel verifies them, explains a failure, and saves secrets (shown only by fingerprint).
// SCREENSHOTS=1 also writes docs/screenshots/signature-*.png (light and dark).
import { createHmac } from "node:crypto";
import path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";

const shots = path.resolve(import.meta.dirname, "../../docs/screenshots");
const hex = (key: string, data: string) => createHmac("sha256", key).update(data).digest("hex");

async function sendGithub(captureUrl: string, secret: string, delivery: string, subpath = "/github") {
  const body = JSON.stringify({
    ref: "refs/heads/main",
    after: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
    repository: { full_name: "acme/api" },
  });
  const res = await fetch(`${captureUrl}${subpath}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-GitHub-Event": "push",
      "X-GitHub-Delivery": delivery,
      "X-Hub-Signature-256": `sha256=${hex(secret, body)}`,
      "User-Agent": "GitHub-Hookshot/e2e",
    },
    body,
  });
  expect(res.status).toBe(200);
}

async function sendStripe(captureUrl: string, secret: string, opts: { pretty?: boolean; path?: string } = {}) {
  const event = {
    id: "evt_1QeE2e",
    object: "event",
    type: "invoice.paid",
    livemode: false,
    data: { object: { id: "in_1Q", amount_paid: 4200, currency: "eur" } },
  };
  const t = Math.floor(Date.now() / 1000);
  const signed = JSON.stringify(event);
  // A re-serialised body: the sender signed compact JSON but sent it pretty-printed.
  const sent = opts.pretty ? JSON.stringify(event, null, 2) : signed;
  const res = await fetch(`${captureUrl}${opts.path ?? "/stripe"}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Stripe-Signature": `t=${t},v1=${hex(secret, `${t}.${signed}`)}`,
      "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    },
    body: sent,
  });
  expect(res.status).toBe(200);
}

const panel = (page: Page) => page.getByRole("region", { name: "Signature" });
const form = (page: Page) => panel(page).getByRole("form", { name: "Try or save a secret" });
const secretInput = (page: Page) => form(page).locator('input[type="password"]');
const badge = (page: Page, status: string) => panel(page).getByRole("status", { name: `Signature: ${status}` });

test("GitHub: unknown without a secret, a wrong secret explained, the right one saved and valid", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  await sendGithub(captureUrl, "gh-e2e-secret", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  const row = page.getByRole("list", { name: "Captures" }).getByRole("link", { name: /POST.*\/github/ });
  // The live event names the sender: the row shows the provider chip.
  await expect(row.getByTestId("provider-chip")).toHaveText(/^GitHub\s*push$/);
  await row.click();

  await expect(badge(page, "unknown")).toBeVisible();
  await expect(panel(page)).toContainText("No saved secret for GitHub");
  await expect(panel(page)).toContainText("push");
  await expect(panel(page)).toContainText("72d3162e-cc78-11e3-81ab-4c9367dc0958");
  await expect(form(page).getByLabel("Provider")).toHaveValue("github");

  // A secret pasted with a trailing space: invalid, and the diagnosis names the cause.
  await secretInput(page).fill("gh-e2e-secret ");
  await form(page).getByRole("button", { name: "Verify once (not saved)" }).click();
  await expect(badge(page, "invalid")).toBeVisible();
  await expect(panel(page).getByTestId("diagnosis")).toContainText("secret_encoding");
  await expect(panel(page).getByTestId("diagnosis")).toContainText("trimmed");
  await expect(panel(page)).toContainText("it was not saved");
  await expect(panel(page).getByTestId("saved-secret")).toHaveCount(0);

  // The right one, saved: only its fingerprint is shown again, and the check turns valid.
  await secretInput(page).fill("gh-e2e-secret");
  await form(page)
    .getByLabel(/^Label/)
    .fill("CI");
  await form(page).getByRole("button", { name: "Save secret" }).click();
  await expect(form(page).getByRole("status")).toContainText(/Saved “CI” \(…[0-9a-f]{8}\)/);
  await expect(secretInput(page)).toHaveValue("");
  await expect(badge(page, "valid")).toBeVisible();
  await expect(panel(page)).toContainText("Matches the saved secret “CI”");
  const saved = panel(page).getByTestId("saved-secret");
  await expect(saved).toHaveCount(1);
  await expect(saved).toContainText(/CI\s*GitHub\s*…[0-9a-f]{8}/);
  await expect(panel(page)).not.toContainText("gh-e2e-secret");
  await expect(row.getByTestId("provider-chip")).toContainText("signature valid");

  // New deliveries arrive already verified against the saved secret: no reload.
  const list = page.getByRole("list", { name: "Captures" });
  await sendGithub(captureUrl, "gh-e2e-secret", "live-ok", "/live-ok");
  await sendGithub(captureUrl, "gh-e2e-wrong", "live-bad", "/live-bad");
  await expect(list.getByRole("link", { name: /POST.*\/live-ok/ }).getByTestId("provider-chip")).toContainText("signature valid");
  await expect(list.getByRole("link", { name: /POST.*\/live-bad/ }).getByTestId("provider-chip")).toContainText("signature invalid");

  if (process.env.SCREENSHOTS) {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await panel(page).screenshot({ path: path.join(shots, `signature-valid-${scheme}.png`) });
    }
  }
});

test("Stripe: a secret saved without its prefix is diagnosed, the right one is valid, a re-serialised body is named", async ({
  page,
  createEndpoint,
}) => {
  const captureUrl = await createEndpoint();
  await sendStripe(captureUrl, "whsec_e2e_secret");
  const list = page.getByRole("list", { name: "Captures" });
  const first = list.getByRole("link", { name: /POST.*\/stripe(?!-)/ });
  await expect(first.getByTestId("provider-chip")).toHaveText(/^Stripe\s*invoice\.paid$/);
  await first.click();
  await expect(badge(page, "unknown")).toBeVisible();
  await expect(panel(page)).toContainText("invoice.paid");

  // Saved without "whsec_": Stripe uses the whole string as the key.
  await secretInput(page).fill("e2e_secret");
  await form(page)
    .getByLabel(/^Label/)
    .fill("Missing prefix");
  await form(page).getByRole("button", { name: "Save secret" }).click();
  await expect(badge(page, "invalid")).toBeVisible();
  await expect(panel(page).getByTestId("diagnosis")).toContainText("secret_encoding");
  await expect(panel(page).getByTestId("diagnosis")).toContainText('"whsec_" prefix');

  await secretInput(page).fill("whsec_e2e_secret");
  await form(page)
    .getByLabel(/^Label/)
    .fill("Live");
  await form(page).getByRole("button", { name: "Save secret" }).click();
  await expect(badge(page, "valid")).toBeVisible();
  await expect(panel(page)).toContainText("Matches the saved secret “Live”");
  await expect(panel(page).getByTestId("signature-timestamp")).toContainText("window 300 s");
  await expect(panel(page).getByTestId("saved-secret")).toHaveCount(2);

  // Re-sent with a re-serialised body: invalid, and the cause is named.
  await sendStripe(captureUrl, "whsec_e2e_secret", { pretty: true, path: "/stripe-pretty" });
  const pretty = list.getByRole("link", { name: /POST.*\/stripe-pretty/ });
  await pretty.click();
  await expect(badge(page, "invalid")).toBeVisible();
  const diagnosis = panel(page).getByTestId("diagnosis");
  await expect(diagnosis).toContainText("body_reserialized");
  await expect(diagnosis).toContainText("re-serialised");
  await expect(panel(page)).toContainText("“Live”");

  if (process.env.SCREENSHOTS) {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await panel(page).screenshot({ path: path.join(shots, `signature-diagnosis-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
    await page.screenshot({ path: path.join(shots, "signature-page-light.png") });
  }

  // Deleting a secret is a two-step action; the check follows.
  const missing = panel(page).getByTestId("saved-secret").filter({ hasText: "Missing prefix" });
  await missing.getByRole("button", { name: "Delete secret Missing prefix" }).click();
  await missing.getByRole("button", { name: "Delete “Missing prefix”" }).click();
  await expect(panel(page).getByTestId("saved-secret")).toHaveCount(1);
  await expect(diagnosis).toContainText("body_reserialized");
});

test("an unsigned capture keeps the panel to one line until asked, then offers generic HMAC", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const body = '{"plain":true}';
  const res = await fetch(`${captureUrl}/plain`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-My-Signature": hex("own-secret", body) },
    body,
  });
  expect(res.status).toBe(200);
  await page
    .getByRole("list", { name: "Captures" })
    .getByRole("link", { name: /POST.*\/plain/ })
    .click();
  await expect(panel(page)).toContainText("No known sender recognised.");
  await expect(form(page)).toHaveCount(0);
  await panel(page).getByRole("button", { name: "Verify a signature…" }).click();
  await expect(form(page)).toBeVisible();
  await expect(
    form(page)
      .getByLabel("Provider")
      .locator("option", { hasText: /generic/i }),
  ).toHaveCount(1);
});
