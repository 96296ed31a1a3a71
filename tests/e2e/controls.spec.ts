// Dashboard controls: copy as curl (run for real), keyboard, filters, settings, clear all, pause,
// follow newest, 10,000 captures, and a live stream that the server keeps dropping.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { test, expect } from "./fixtures";
import type { Page } from "@playwright/test";

const shots = path.resolve(import.meta.dirname, "../../test-results/screens");
mkdirSync(shots, { recursive: true });

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const list = (page: Page) => page.getByRole("list", { name: "Captures" });
const row = (page: Page, name: RegExp) => list(page).getByRole("link", { name });

function bash(cmd: string, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("bash", ["-c", cmd], { cwd, env: { PATH: process.env.PATH } as unknown as NodeJS.ProcessEnv }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** Drops the console errors Chromium logs for API answers the test provokes on purpose. */
function expectedConsoleErrors(pageErrors: string[], pattern: RegExp) {
  const rest = pageErrors.filter((e) => !pattern.test(e));
  pageErrors.length = 0;
  pageErrors.push(...rest);
}

interface Detail {
  id: string;
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  bodySha256: string;
  bodySize: number;
}

test("copy as curl re-sends the same method, headers and body bytes", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const body = JSON.stringify({ type: "invoice.paid", note: `it's "quoted" — José 🚀 $HOME \`id\``, lines: ["a\tb", "c\nd"] }, null, 2);
  const res = await fetch(`${captureUrl}/stripe/events?attempt=1&q=it's`, {
    method: "POST",
    headers: { "Content-Type": "application/json; charset=utf-8", "X-Quote": `it's "q" $PATH`, "Stripe-Signature": "t=1,v1=abc" },
    body,
  });
  expect(res.status).toBe(200);
  await row(page, /POST.*\/stripe\/events/).click();
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/stripe/events");
  // Copy as copies what is shown: the signature header is masked until revealed.
  await expect(page.getByText(/masked values are copied as/)).toBeVisible();
  await page.getByRole("button", { name: "Reveal" }).click();
  await expect(page.getByRole("table", { name: "Headers" }).getByRole("row", { name: /Stripe-Signature t=1,v1=abc/ })).toBeVisible();

  const copy = page.getByRole("button", { name: "Copy as curl to clipboard" });
  await copy.click();
  await expect(copy).toHaveText("Copied");
  const cmd = await page.evaluate(() => navigator.clipboard.readText());
  expect(cmd).toMatch(/^curl -X POST/);

  // What the user pastes into a terminal: bash runs it against the capture URL.
  const out = await bash(cmd);
  const newId = (JSON.parse(out) as { captureId: string }).captureId;
  const originalId = decodeURIComponent(page.url().split("/c/")[1]!);
  const detail = async (id: string) => (await (await page.request.get(`/api/captures/${id}?reveal=1`)).json()) as Detail;
  const original = await detail(originalId);
  const replay = await detail(newId);
  const comparable = (d: Detail) => d.headers.filter(([n]) => !["host", "content-length", "connection"].includes(n.toLowerCase()));
  expect(replay.bodySha256).toBe(original.bodySha256);
  expect(replay.bodySize).toBe(Buffer.byteLength(body));
  expect(replay.method).toBe("POST");
  expect(replay.path).toBe(original.path);
  expect(replay.query).toBe(original.query);
  expect(comparable(replay)).toEqual(comparable(original));
  // The replay arrives live in the list.
  await expect(list(page).getByRole("link", { name: /POST.*\/stripe\/events/ })).toHaveCount(2);
});

test("a binary body's copy-as points at the raw body download", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  await fetch(`${captureUrl}/bin`, {
    method: "PUT",
    headers: { "Content-Type": "application/octet-stream" },
    body: new Uint8Array([0, 1, 0xff]),
  });
  await row(page, /PUT.*\/bin/).click();
  await page.getByRole("button", { name: "Show command" }).click();
  const id = decodeURIComponent(page.url().split("/c/")[1]!);
  await expect(page.getByRole("tabpanel", { name: "curl command" })).toContainText(`--data-binary @${id}.bin`);
  await expect(page.getByText(`${id}.bin`, { exact: true })).toBeVisible();
  await page.getByRole("tab", { name: "fetch" }).click();
  await expect(page.getByRole("tabpanel", { name: "fetch command" })).toContainText('atob("AAH/")');
  await expect(page.getByRole("link", { name: "Download raw body" })).toHaveAttribute("download", `${id}.bin`);
  await page.screenshot({ path: path.join(shots, "copy-as.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(shots, "copy-as-390.png") });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});

test("j and k move the selection through the list", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  for (const p of ["one", "two", "three"]) await fetch(`${captureUrl}/${p}`, { method: "POST", body: p });
  await expect(list(page).getByRole("link")).toHaveCount(3);
  const selected = list(page).locator('a[aria-current="page"]');

  await page.keyboard.press("j");
  await expect(selected).toHaveAccessibleName(/\/three/);
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/three");
  await page.keyboard.press("j");
  await expect(selected).toHaveAccessibleName(/\/two/);
  await page.keyboard.press("j");
  await expect(selected).toHaveAccessibleName(/\/one/);
  await page.keyboard.press("j"); // the end: stays
  await expect(selected).toHaveAccessibleName(/\/one/);
  await page.keyboard.press("k");
  await expect(selected).toHaveAccessibleName(/\/two/);
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/two");

  // Typing in the search bar is not navigation.
  await page.keyboard.press("/");
  const search = page.getByRole("combobox", { name: "Search captures" });
  await expect(search).toBeFocused();
  await page.keyboard.type("jk");
  await expect(selected).toHaveAccessibleName(/\/two/);
  await page.keyboard.press("Escape"); // closes the suggestions
  await page.keyboard.press("Escape"); // leaves the bar
  await expect(search).not.toBeFocused();
});

test("the search shows only matching rows, also for live arrivals", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  for (const p of ["alpha/1", "beta/2", "alpha/3"]) await fetch(`${captureUrl}/${p}`, { method: "POST", body: p });
  await expect(list(page).getByRole("link")).toHaveCount(3);

  await page.keyboard.press("/");
  await page.keyboard.type("alpha");
  await expect(list(page).getByRole("link")).toHaveCount(2);
  await expect(row(page, /\/beta\/2/)).toHaveCount(0);
  await expect(row(page, /\/alpha\/1/)).toBeVisible();

  await fetch(`${captureUrl}/beta/4`, { method: "POST", body: "beta/4" });
  await fetch(`${captureUrl}/alpha/5`, { method: "POST", body: "alpha/5" });
  await expect(row(page, /\/alpha\/5/)).toBeVisible();
  await expect(list(page).getByRole("link")).toHaveCount(3);
  await expect(row(page, /\/beta\/4/)).toHaveCount(0);

  // Method and text, through the API (case-insensitive).
  const search = page.getByRole("combobox", { name: "Search captures" });
  await search.fill("method:POST BETA/");
  await expect(list(page).getByRole("link")).toHaveCount(2); // beta/2 and beta/4
  await expect(row(page, /\/beta\/4/)).toBeVisible();
  await page.screenshot({ path: path.join(shots, "list-controls.png") });

  await search.fill("nothing-like-this");
  await expect(page.getByText("No captures match the filter.")).toBeVisible();
});

test("settings: a validation error is readable, and status 418 is what senders get", async ({ page, createEndpoint, pageErrors }) => {
  const captureUrl = await createEndpoint();
  const opener = page.getByRole("button", { name: "Settings" });
  await opener.click();
  const dialog = page.getByRole("dialog", { name: "Endpoint settings" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Name")).toBeFocused();

  await dialog.getByLabel("Name").fill("Billing hooks");
  await dialog.getByLabel("Status").fill("99");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByRole("alert")).toContainText(/^Status: .*>=200/);
  expectedConsoleErrors(pageErrors, /status of 422/);

  await dialog.getByLabel("Status").fill("418");
  await dialog.getByRole("button", { name: "Add header" }).click();
  await dialog.getByLabel("Header 1 name").fill("X-Teapot");
  await dialog.getByLabel("Header 1 value").fill("short and stout");
  // A header that acts on the whole origin: the API's 422 is shown as it says, and the hint explains the list.
  await expect(dialog.getByText(/only headers about this one response are sent/)).toBeVisible();
  await dialog.getByRole("button", { name: "Add header" }).click();
  await dialog.getByLabel("Header 2 name").fill("Strict-Transport-Security");
  await dialog.getByLabel("Header 2 value").fill("max-age=31536000");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByRole("alert")).toContainText(/^Header 2: Strict-Transport-Security .*origin of their own \(CAPTURE_PORT/);
  expectedConsoleErrors(pageErrors, /status of 422/);
  await dialog.getByRole("button", { name: "Remove header 2" }).click();
  await dialog.getByRole("checkbox", { name: /Default body/ }).uncheck();
  await dialog.getByLabel("Body", { exact: true }).fill("I'm a teapot");
  await dialog.getByLabel(/Delay/).fill("0");
  await page.screenshot({ path: path.join(shots, "settings.png") });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await expect(page.getByTestId("endpoint-name")).toHaveText("Billing hooks");

  const res = await fetch(`${captureUrl}/tea`, { method: "POST", body: "brew" });
  expect(res.status).toBe(418);
  expect(res.headers.get("x-teapot")).toBe("short and stout");
  expect(await res.text()).toBe("I'm a teapot");
  await expect(row(page, /POST.*\/tea/)).toBeVisible();
  // The browser may report the second 422 after its alert is shown: it is expected too.
  expectedConsoleErrors(pageErrors, /status of 422/);
});

test("clear all asks first, then empties the list", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  for (const p of ["a", "b"]) await fetch(`${captureUrl}/${p}`, { method: "POST", body: p });
  await expect(list(page).getByRole("link")).toHaveCount(2);

  await page.getByRole("button", { name: "Clear all" }).click();
  const dialog = page.getByRole("dialog", { name: "Clear all captures?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(list(page).getByRole("link")).toHaveCount(2);

  await page.getByRole("button", { name: "Clear all" }).click();
  await dialog.getByRole("button", { name: "Delete all captures" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("No captures yet.")).toBeVisible();
  await expect(page.getByLabel("Example request")).toContainText(captureUrl);
  // Gone on the server too.
  await page.reload();
  await expect(page.getByText("No captures yet.")).toBeVisible();
});

test("pause holds live captures and counts them; resume shows them", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  await fetch(`${captureUrl}/before`, { method: "POST", body: "x" });
  await expect(row(page, /\/before/)).toBeVisible();
  await page.getByRole("button", { name: "Pause" }).click();
  await fetch(`${captureUrl}/held/1`, { method: "POST", body: "x" });
  await fetch(`${captureUrl}/held/2`, { method: "POST", body: "x" });
  await expect(page.getByText("2 new while paused")).toBeVisible();
  await expect(row(page, /\/held\//)).toHaveCount(0);
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(row(page, /\/held\//)).toHaveCount(2);
});

test("follow newest opens each new arrival", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  await page.getByRole("button", { name: "Follow newest" }).click();
  await expect(page.getByRole("button", { name: "Follow newest" })).toHaveAttribute("aria-pressed", "true");
  await fetch(`${captureUrl}/followed/1`, { method: "POST", body: "1" });
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/followed/1");
  await fetch(`${captureUrl}/followed/2`, { method: "POST", body: "2" });
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/followed/2");
});

test("an unknown endpoint shows a readable error, not a spinner", async ({ page, pageErrors }) => {
  await page.goto("/e/ep_doesnotexist00");
  await expect(page.getByRole("heading", { name: "Endpoint not found" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "does not exist" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Create a new capture URL" })).toBeVisible();
  expectedConsoleErrors(pageErrors, /status of 404/);
});

test("10,000 stored captures: the page loads, scrolls to the oldest and opens it", async ({ page, createEndpoint }) => {
  test.setTimeout(240_000);
  const captureUrl = await createEndpoint();
  const endpointPage = page.url();
  await page.goto("about:blank"); // seed without a live view open
  const total = 10_000;
  let next = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < total) {
        const i = next++;
        const res = await fetch(`${captureUrl}/n/${i}`, { method: "POST", body: String(i) });
        if (res.status !== 200) throw new Error(`capture ${i}: ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );

  await page.goto(endpointPage);
  await expect(list(page).getByRole("link").first()).toBeVisible();
  expect(await list(page).getByRole("listitem").count()).toBeLessThan(80);
  const scroller = page.getByTestId("capture-list-scroll");
  const oldest = row(page, /POST\s*\/n\/0\s/);
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(oldest).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 150_000 });
  await oldest.click();
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/n/0");
  await expect(page.getByLabel("Raw text")).toHaveText("0");
});
