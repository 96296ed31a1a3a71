// Screenshots for docs/screenshots/: SCREENSHOTS=1 npx playwright test screenshots
import path from "node:path";
import { test, expect } from "./fixtures";

const out = path.resolve(import.meta.dirname, "../../docs/screenshots");

test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh docs/screenshots");

const shots = [
  { name: "endpoint-light", scheme: "light", viewport: { width: 1280, height: 1100 } },
  { name: "endpoint-dark", scheme: "dark", viewport: { width: 1280, height: 1100 } },
  { name: "endpoint-390-light", scheme: "light", viewport: { width: 390, height: 844 } },
] as const;

for (const { name, scheme, viewport } of shots) {
  test(`endpoint page with a capture selected: ${name}`, async ({ page, createEndpoint }) => {
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme: scheme });
    const captureUrl = await createEndpoint();
    const send = (p: string, init: RequestInit) => fetch(`${captureUrl}${p}`, init);
    await send("/github?delivery=72d3162e", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-GitHub-Event": "push" },
      body: '{"ref":"refs/heads/main"}',
    });
    await send("/health", { method: "GET" });
    await send("/upload", {
      method: "PUT",
      headers: { "Content-Type": "image/png" },
      body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
    });
    await send("/form", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=Ada+Lovelace&tag=a&tag=b",
    });
    await send("/stripe/webhook?livemode=false", {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": "t=1733000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      },
      body: JSON.stringify({
        id: "evt_1Q",
        type: "invoice.paid",
        livemode: false,
        data: {
          object: {
            id: "in_1Q",
            amount_paid: 4200,
            currency: "eur",
            customer: "cus_9s6XKzkNRiz8i3",
            lines: [{ price: "price_1", quantity: 2 }],
          },
        },
      }),
    });
    const row = page.getByRole("list", { name: "Captures" }).getByRole("link", { name: /\/stripe\/webhook/ });
    await row.click();
    await expect(page.getByLabel("JSON", { exact: true })).toContainText("invoice.paid");
    // Let the new-arrival highlight finish so the picture shows the steady state.
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
    await page.screenshot({ path: path.join(out, `${name}.png`) });
  });
}
