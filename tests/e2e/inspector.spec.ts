import { createHash } from "node:crypto";
import { test, expect } from "./fixtures";

test("a JSON POST appears live and opens with its headers and fields", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const list = page.getByRole("list", { name: "Captures" });

  const res = await fetch(`${captureUrl}/stripe/events?attempt=1&note=hello%20world`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Signature": "t=1,v1=abc", "X-Dup": "one" },
    body: JSON.stringify({ type: "invoice.paid", data: { amount: 4200, currency: "eur" } }),
  });
  expect(res.status).toBe(200);

  const row = list.getByRole("link", { name: /POST.*\/stripe\/events\?attempt=1/ });
  await expect(row).toBeVisible({ timeout: 2000 });
  await row.click();

  await expect(page).toHaveURL(/\/e\/[^/]+\/c\/cap_[^/]+$/);
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/stripe/events?attempt=1");
  const headers = page.getByRole("table", { name: "Headers" });
  // *-Signature headers are masked by default: the row is there, its value is not shown.
  await expect(headers.getByRole("row", { name: /X-Signature/ })).toBeVisible();
  await expect(headers).not.toContainText("t=1,v1=abc");
  await expect(headers.getByRole("row", { name: /Content-Type application\/json/ })).toBeVisible();
  const query = page.getByRole("table", { name: "Query parameters" });
  await expect(query.getByRole("row", { name: /note hello world/ })).toBeVisible();
  await expect(page.getByRole("tab", { name: /JSON/ })).toHaveAttribute("aria-selected", "true");
  const json = page.getByLabel("JSON", { exact: true });
  await expect(json).toContainText('"type": "invoice.paid"');
  await expect(json).toContainText('"amount": 4200');
  await expect(page.getByText(`${captureUrl}/stripe/events?attempt=1&note=hello%20world`)).toBeVisible();
});

test("a binary body shows in the hex lens with the right bytes", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const bytes = new Uint8Array([
    0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0x41, 0x42, 0x43, 0x0a, 0x0d, 0x09, 0x10, 0x20,
  ]);
  const res = await fetch(`${captureUrl}/upload`, { method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: bytes });
  expect(res.status).toBe(200);

  await page
    .getByRole("list", { name: "Captures" })
    .getByRole("link", { name: /PUT.*\/upload/ })
    .click();
  await expect(page.getByRole("tab", { name: /Hex/ })).toHaveAttribute("aria-selected", "true");
  const hex = page.getByLabel("Hex dump");
  await expect(hex).toContainText("00000000  de ad be ef 00 01 02 7f  80 ff 41 42 43 0a 0d 09  |..........ABC...|");
  await expect(hex).toContainText("00000010  10 20");
  await expect(page.getByText(createHash("sha256").update(bytes).digest("hex"))).toBeVisible();

  // The manual switch: the same bytes as raw text are flagged as not UTF-8.
  await page.getByRole("tab", { name: /Raw text/ }).click();
  await expect(page.getByText("not valid UTF-8")).toBeVisible();
});

test("captured HTML and header values render as text and never run", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const html = "<h1>hi</h1><script>window.__pwned=1</script>";
  const evilHeader = "<img src=x onerror=window.__pwned=2>";
  const res = await fetch(`${captureUrl}/html`, {
    method: "POST",
    headers: { "Content-Type": "text/html", "X-Evil": evilHeader },
    body: html,
  });
  expect(res.status).toBe(200);

  await page
    .getByRole("list", { name: "Captures" })
    .getByRole("link", { name: /POST.*\/html/ })
    .click();
  await expect(page.getByRole("table", { name: "Headers" }).getByRole("cell", { name: evilHeader, exact: true })).toBeVisible();
  await expect(page.getByLabel("Raw text")).toHaveText(html);
  await page.getByRole("tab", { name: /Hex/ }).click();
  await expect(page.getByLabel("Hex dump")).toContainText("3c 68 31 3e");
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator("img").count()).toBe(0);
});

test("the dashboard is served with a nonce-based Content-Security-Policy", async ({ page, server }) => {
  const res = await page.goto("/");
  const csp = res!.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("object-src 'none'");
  // API routes are JSON, not pages: no page CSP needed there.
  const api = await fetch(`${server.url}/api/endpoints`);
  expect(api.headers.get("content-type")).toContain("application/json");
});

test.describe("at 390 px wide", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the list and the detail are both usable", async ({ page, createEndpoint }) => {
    const captureUrl = await createEndpoint();
    await fetch(`${captureUrl}/mobile?x=1`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"ok":true}' });
    const row = page.getByRole("list", { name: "Captures" }).getByRole("link", { name: /POST.*\/mobile/ });
    await expect(row).toBeVisible();
    await expect(row).toBeInViewport();
    await row.click();
    const heading = page.getByRole("heading", { level: 2 });
    await expect(heading).toContainText("/mobile?x=1");
    await expect(row).toBeVisible();
    await expect(row).toBeInViewport();
    await expect(heading).toBeInViewport();
    // Nothing is wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test("the virtualized list pages back to the oldest capture as it scrolls", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const total = 260; // more than two API pages of 100
  for (let start = 0; start < total; start += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, total - start) }, (_, k) =>
        fetch(`${captureUrl}/n/${start + k}`, { method: "POST", body: String(start + k) }),
      ),
    );
  }
  await page.reload();
  const list = page.getByRole("list", { name: "Captures" });
  await expect(list.getByRole("link").first()).toBeVisible();
  // Only the rows in view are rendered.
  expect(await list.getByRole("listitem").count()).toBeLessThan(60);

  const scroller = page.getByTestId("capture-list-scroll");
  const oldest = list.getByRole("link", { name: /POST\s*\/n\/0\s/ });
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(oldest).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await oldest.click();
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/n/0");
  await expect(page.getByLabel("Raw text")).toHaveText("0");
});
