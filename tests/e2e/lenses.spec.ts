// Body lenses in a real browser: multipart file download byte-exact, HTML only in a script-less
// sandbox, gzip bodies decoded, form fields with repeated keys. Screenshots with SCREENSHOTS=1.
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function openCapture(page: Page, name: RegExp) {
  await page.getByRole("list", { name: "Captures" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 2 })).toBeVisible();
}

function multipartBody(boundary: string, file: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nQuarterly report\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="../../report<script>.exe"\r\nContent-Type: application/x-msdownload\r\n\r\n`,
      ),
      Buffer.from(file),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  );
}

test("a multipart file part downloads byte-exact", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  // Every byte value, CR/LF pairs and a fake delimiter inside the file, plus random bytes.
  const file = new Uint8Array(
    Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.from("\r\n--not-the-boundary\r\n\r\n"),
      randomBytes(4096),
    ]),
  );
  const boundary = "----hookscopeBoundary7MA4YWxk";
  const res = await fetch(`${captureUrl}/upload`, {
    method: "POST",
    headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    body: multipartBody(boundary, file),
  });
  expect(res.status).toBe(200);

  await openCapture(page, /POST.*\/upload/);
  await expect(page.getByRole("tab", { name: /Multipart/ })).toHaveAttribute("aria-selected", "true");
  const field = page.getByRole("region", { name: "Part 1: title" });
  await expect(field.getByLabel("Value of Part 1: title")).toHaveText("Quarterly report");
  const filePart = page.getByRole("region", { name: "Part 2: upload" });
  // The sender's file name is shown as text only.
  await expect(filePart).toContainText("../../report<script>.exe");
  await expect(filePart).toContainText("application/x-msdownload");

  const [download] = await Promise.all([page.waitForEvent("download"), filePart.getByRole("button", { name: "Download part 2" }).click()]);
  expect(download.suggestedFilename()).toBe("part-2.bin");
  const saved = await readFile((await download.path())!);
  expect(saved.length).toBe(file.length);
  expect(sha256(saved)).toBe(sha256(file));
});

test("HTML renders only in a sandboxed frame where its scripts cannot run", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const blocked: string[] = [];
  page.on("console", (msg) => {
    if (msg.location().url === "about:srcdoc" || msg.text().includes("'about:srcdoc'")) blocked.push(msg.text());
  });
  const html =
    "<!doctype html><h1 id=t>Hello from the sender</h1><script>window.__pwned=1;document.getElementById('t').textContent='ran'</script><img src=x onerror=\"window.__pwned=2\">";
  const res = await fetch(`${captureUrl}/page`, { method: "POST", headers: { "Content-Type": "text/html; charset=utf-8" }, body: html });
  expect(res.status).toBe(200);

  await openCapture(page, /POST.*\/page/);
  await expect(page.getByRole("tab", { name: /HTML/ })).toHaveAttribute("aria-selected", "true");
  const frameEl = page.getByTitle("HTML preview");
  await expect(frameEl).toHaveAttribute("sandbox", "");
  const sandbox = await frameEl.getAttribute("sandbox");
  expect(sandbox).not.toContain("allow-scripts");
  expect(sandbox).not.toContain("allow-same-origin");
  // The source is beside it, as text.
  await expect(page.getByLabel("Raw text")).toHaveText(html);

  const frame = page.frameLocator('iframe[title="HTML preview"]');
  await expect(frame.locator("h1")).toHaveText("Hello from the sender"); // the script would have changed it
  await expect.poll(() => blocked.some((m) => /Blocked script execution in 'about:srcdoc'/.test(m))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Inside the frame nothing ran either (evaluated by the test harness, not by the page).
  const inner = page.frames().find((f) => f !== page.mainFrame())!;
  expect(await inner.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("a gzip JSON body is decoded for viewing, the stored bytes one click away", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const json = JSON.stringify({ event: "order.paid", order: { id: "ord_42", total: 1999, currency: "usd" } });
  const gz = gzipSync(json);
  const res = await fetch(`${captureUrl}/gz`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
    body: gz,
  });
  expect(res.status).toBe(200);

  await openCapture(page, /POST.*\/gz/);
  await expect(page.getByText(/Decoded .* of gzip to/)).toBeVisible();
  await expect(page.getByRole("tab", { name: /JSON/ })).toHaveAttribute("aria-selected", "true");
  const tree = page.getByLabel("JSON", { exact: true });
  await expect(tree).toContainText('"event": "order.paid"');
  await expect(tree).toContainText('"total": 1999');

  // Masking changes nothing here, so the view is the stored gzip bytes, decoded in the browser with
  // "As stored" one click away (no Reveal needed: there is nothing masked to reveal).
  await page.getByRole("button", { name: "As stored" }).click();
  await expect(page.getByRole("tab", { name: /Hex/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("Hex dump")).toContainText("00000000  1f 8b 08");
});

test("a brotli JSON body, which Chromium cannot decode, is decoded by the server for viewing", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const json = JSON.stringify({ event: "shipment.created", shipment: { id: "shp_7", carrier: "dhl" } });
  const res = await fetch(`${captureUrl}/br`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Content-Encoding": "br" },
    body: new Uint8Array(brotliCompressSync(json)),
  });
  expect(res.status).toBe(200);

  await openCapture(page, /POST.*\/br/);
  await expect(page.getByText(/Decoded .* of br to/)).toBeVisible();
  const tree = page.getByLabel("JSON", { exact: true });
  await expect(tree).toContainText('"carrier": "dhl"');
});

test("a form body shows its fields with a repeated key twice", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const res = await fetch(`${captureUrl}/form`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "name=Ada+Lovelace&tag=math&tag=poetry&bad=%zz&city=S%C3%A3o%20Paulo",
  });
  expect(res.status).toBe(200);

  await openCapture(page, /POST.*\/form/);
  await expect(page.getByRole("tab", { name: /Form/ })).toHaveAttribute("aria-selected", "true");
  const table = page.getByRole("table", { name: "Form fields" });
  await expect(table.getByRole("row", { name: /name Ada Lovelace/ })).toBeVisible();
  const tags = table.getByRole("row", { name: /^\d+ tag / });
  await expect(tags).toHaveCount(2);
  await expect(tags.nth(0)).toContainText("math");
  await expect(tags.nth(1)).toContainText("poetry");
  await expect(table.getByRole("row", { name: /bad %zz\s*bad escape/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /city São Paulo/ })).toBeVisible();
});

test("the JSON tree collapses, expands and pages large arrays", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const body = JSON.stringify({ big: Array.from({ length: 250 }, (_, i) => i), deep: JSON.parse("[".repeat(3000) + "]".repeat(3000)) });
  await fetch(`${captureUrl}/tree`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
  await openCapture(page, /POST.*\/tree/);
  const tree = page.getByLabel("JSON", { exact: true });
  // A 250-item array is not opened on first view.
  await expect(tree.getByRole("button", { name: "250 items" })).toBeVisible();
  await tree.getByRole("button", { name: "Expand big" }).click();
  await expect(tree.getByRole("button", { name: /Show 100 more \(150 not shown\)/ })).toBeVisible();
  await expect(tree.getByText("99:", { exact: true })).toBeVisible();
  await expect(tree.getByText("100:", { exact: true })).toHaveCount(0);
  await tree.getByRole("button", { name: /Show 100 more/ }).click();
  await expect(tree.getByRole("button", { name: /Show 50 more/ })).toBeVisible();
  await tree.getByRole("button", { name: "Collapse big" }).click();
  await expect(tree.getByRole("button", { name: "Expand big" })).toBeVisible();
  // The pretty view refuses the deep part with a reason instead of locking the tab.
  await page.getByRole("button", { name: "Pretty", exact: true }).click();
  await expect(page.getByText(/Not shown as JSON: nested 3001 levels deep/)).toBeVisible();
});

const screenshotsDir = path.resolve(import.meta.dirname, "../../docs/screenshots");

test.describe("lens screenshots", () => {
  test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to refresh docs/screenshots");
  for (const scheme of ["light", "dark"] as const) {
    test(`lenses in ${scheme}`, async ({ page, createEndpoint }) => {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.emulateMedia({ colorScheme: scheme });
      const captureUrl = await createEndpoint();
      const send = (p: string, init: RequestInit) => fetch(`${captureUrl}${p}`, init);
      await send("/stripe/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          id: "evt_1Q",
          type: "invoice.paid",
          livemode: false,
          data: { object: { id: "in_1Q", amount_paid: 4200, currency: "eur", lines: [{ price: "price_1", quantity: 2 }], metadata: {} } },
          pending_webhooks: 1,
        }),
      });
      const boundary = "----hookscope7MA4YWxk";
      const png = Buffer.from(
        "89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff610000001d49444154789c63fccf80018c0c0c8c0c0c0c0c8c28b4b1c6dc4000002a380f14f1a6f5c10000000049454e44ae426082",
        "hex",
      );
      await send("/upload", {
        method: "POST",
        headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
        body: multipartBody(boundary, new Uint8Array(png)),
      });
      await send("/firmware", {
        method: "PUT",
        headers: { "Content-Type": "application/octet-stream" },
        body: new Uint8Array(Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff)),
      });
      await send("/page", {
        method: "POST",
        headers: { "Content-Type": "text/html" },
        body: "<!doctype html><style>body{font-family:sans-serif;padding:1rem}</style><h1>Order shipped</h1><p>Your order <b>#1042</b> is on its way.</p><script>alert(1)</script>",
      });
      const shots: [RegExp, string, () => Promise<void>][] = [
        [/\/stripe\/webhook/, "json", () => expect(page.getByLabel("JSON", { exact: true })).toContainText("invoice.paid")],
        [/\/upload/, "multipart", () => expect(page.getByRole("button", { name: "Download part 2" })).toBeVisible()],
        [/\/firmware/, "hex", () => expect(page.getByLabel("Hex dump")).toBeVisible()],
        [/\/page/, "html", () => expect(page.frameLocator('iframe[title="HTML preview"]').locator("h1")).toHaveText("Order shipped")],
      ];
      for (const [row, name, ready] of shots) {
        await openCapture(page, new RegExp(`(POST|PUT).*${row.source}`));
        await ready();
        await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
        await page.getByRole("region", { name: "Body" }).evaluate((el) => el.scrollIntoView({ block: "start" }));
        await page.screenshot({ path: path.join(screenshotsDir, `lens-${name}-${scheme}.png`) });
      }
    });
  }
});
