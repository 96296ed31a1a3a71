// Share links and redaction in the browser: masked values with their badges, an audited Reveal, an
// endpoint JSON-path rule, a share link opened in a fresh browser context without a session (live
// list, masked detail, masked download, no Reveal, one counted view), revocation, and a viewer and
// a stranger on the endpoint pages. Screenshots of the share page and the masked detail, light and
// dark, go to test-results/screens.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { allowHttpErrors, newPage, newUser, signUp } from "./account-helpers";

const shots = path.resolve(import.meta.dirname, "../../test-results/screens");
mkdirSync(shots, { recursive: true });

const CARD = "4242424242424242";
const list = (page: Page) => page.getByRole("list", { name: "Captures" });
const headerRow = (page: Page, name: RegExp) => page.getByRole("table", { name: "Headers" }).getByRole("row", { name });

async function settle(page: Page) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
}

async function sendOrder(captureUrl: string, p = "/orders") {
  const res = await fetch(`${captureUrl}${p}?token=tok_live_1&page=2`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer SECRET123", "X-Request-Id": "req_77" },
    body: JSON.stringify({ event: "order.paid", card: { number: CARD, brand: "visa" }, amount: 4200 }),
  });
  expect(res.status).toBe(200);
}

test("masked values, reveal, an endpoint rule and a share link opened without a session", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const user = newUser("Sam");
  await signUp(page, user);
  await page.getByRole("button", { name: "Create a capture URL" }).click();
  await expect(page).toHaveURL(/\/e\/ep_[^/]+$/);
  const endpointId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
  const captureUrl = (await page.getByTestId("capture-url").textContent())!;
  await expect(page.getByTestId("endpoint-role")).toHaveText(/^Owner/);
  await expect(page.getByRole("status", { name: /Live updates: Live/ })).toBeVisible();

  await sendOrder(captureUrl);
  await list(page)
    .getByRole("link", { name: /POST.*\/orders/ })
    .click();
  await expect(page.getByRole("heading", { level: 2 })).toContainText("/orders");

  // Masked by default, with a badge; the query's token too; the body is untouched so far.
  const auth = headerRow(page, /^\d+\s*Authorization/);
  await expect(auth).toContainText("Bearer ••••••");
  await expect(auth).toContainText("masked");
  await expect(auth).not.toContainText("SECRET123");
  await expect(headerRow(page, /X-Request-Id/)).not.toContainText("masked");
  await expect(
    page.getByRole("table", { name: "Query parameters" }).getByRole("row", { name: /token \[REDACTED\]\s*masked/ }),
  ).toBeVisible();
  await expect(page.getByText("2 values masked.")).toBeVisible();
  await expect(page.getByText("Reveals are audited.")).toBeVisible();
  const json = page.getByLabel("JSON", { exact: true });
  await expect(json).toContainText(CARD);
  await settle(page);
  await page.screenshot({ path: path.join(shots, "masked-detail-light.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await settle(page);
  await page.screenshot({ path: path.join(shots, "masked-detail-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });

  // Reveal: the stored values, and an audit entry.
  const reveal = page.getByRole("button", { name: "Reveal" });
  await expect(reveal).toHaveAttribute("title", /recorded in the workspace audit log/);
  await reveal.click();
  await expect(auth).toContainText("Bearer SECRET123");
  await expect(auth).not.toContainText("masked");
  await expect(page.getByText(/Showing the stored values, unmasked/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Download raw body" })).toHaveAttribute("href", /\/body\?reveal=1&download=1$/);
  const me = (await (await page.request.get("/api/me")).json()) as { workspaces: { id: string; personal: boolean }[] };
  const workspaceId = me.workspaces.find((w) => w.personal)!.id;
  const audit = (await (await page.request.get(`/api/workspaces/${workspaceId}/audit?action=capture.reveal`)).json()) as {
    events: { action: string }[];
  };
  expect(audit.events.length).toBeGreaterThanOrEqual(1);
  await page.getByRole("button", { name: "Mask again" }).click();
  await expect(auth).toContainText("Bearer ••••••");

  // An endpoint rule: $.card.number is masked in the body from now on (in every view).
  await page.getByRole("button", { name: "Settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Endpoint settings" });
  await dialog.getByRole("tab", { name: "Redaction" }).click();
  await expect(dialog.getByText(/signatures over the original body can no longer be verified/)).toBeVisible();
  await dialog.getByRole("button", { name: "Add rule" }).click();
  await expect(dialog.getByLabel("Rule 1 kind")).toHaveValue("json_path");
  await dialog.getByLabel("Rule 1 json path").fill("$.card.number");
  await dialog.getByRole("button", { name: "Save redaction" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Saved.");
  await page.screenshot({ path: path.join(shots, "settings-redaction-light.png") });
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(json).toContainText('"[REDACTED]"');
  await expect(json).not.toContainText(CARD);
  await expect(page.getByText("Masked in the body: JSON path $.card.number.")).toBeVisible();
  // The masked value is marked where it is shown, in the tree and in the pretty text: "[REDACTED]" does not read as data.
  const marker = json.getByTitle(/JSON path \$\.card\.number/);
  await expect(marker).toBeVisible();
  await expect(marker).toHaveText(/^masked/);
  await expect(json.getByTitle(/^Masked by/)).toHaveCount(1);
  await json.scrollIntoViewIfNeeded();
  await settle(page);
  await json.screenshot({ path: path.join(shots, "masked-json-marker-light.png") });
  await page.getByRole("group", { name: "JSON view" }).getByRole("button", { name: "Pretty" }).click();
  await expect(json.getByTitle(/JSON path \$\.card\.number/)).toBeVisible();
  await page.getByRole("group", { name: "JSON view" }).getByRole("button", { name: "Tree" }).click();
  await expect(page.getByRole("region", { name: "Body" }).getByRole("heading", { level: 3 })).toHaveText(/^Body\s*masked/);
  await expect(page.getByRole("link", { name: "Download masked body" })).toHaveAttribute("href", /\/body\?download=1$/);
  await page.getByRole("region", { name: "Body" }).scrollIntoViewIfNeeded();
  await settle(page);
  await page.screenshot({ path: path.join(shots, "masked-body-light.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: path.join(shots, "masked-body-dark.png") });
  await page.emulateMedia({ colorScheme: "light" });

  // A share link to the whole endpoint.
  await page.getByRole("button", { name: "Settings" }).click();
  await dialog.getByRole("tab", { name: "Sharing" }).click();
  await dialog.getByLabel("Expires after").selectOption({ label: "1 day" });
  await dialog.getByLabel("Label (optional)").fill("support ticket 4411");
  await dialog.getByRole("button", { name: "Create share link" }).click();
  const shareUrl = (await dialog.getByTestId("new-share-url").textContent())!;
  expect(shareUrl).toMatch(/\/s\/hs_shr_[A-Za-z0-9_-]{32}$/);
  const links = dialog.getByRole("region", { name: "Share links" });
  const item = links.getByRole("listitem", { name: "Share link support ticket 4411" });
  await expect(item).toContainText("active");
  await expect(item).toContainText("whole endpoint");
  await expect(item).toContainText("0 views");
  await page.screenshot({ path: path.join(shots, "settings-sharing-light.png") });
  await page.keyboard.press("Escape");

  // A fresh browser context: no session, no cookies.
  const guest = await newPage(browser, baseURL);
  expect(await guest.context().cookies()).toEqual([]);
  await guest.emulateMedia({ colorScheme: "light" });
  const opened = await guest.goto(new URL(shareUrl).pathname);
  expect(opened!.status()).toBe(200);
  await expect(guest.getByRole("note", { name: "Shared view" })).toContainText(/Shared read-only view · masked · expires \d/);
  await expect(list(guest).getByRole("link", { name: /POST.*\/orders/ })).toBeVisible();
  await expect(guest.getByRole("status", { name: /Live updates: Live/ })).toBeVisible();
  await expect(guest.getByRole("button", { name: "Settings" })).toHaveCount(0);
  await expect(guest.getByRole("button", { name: "Clear all" })).toHaveCount(0);
  // The query string in the list is masked too.
  await expect(list(guest).getByRole("link", { name: /token=\[REDACTED\]/ })).toBeVisible();

  // Live: a new capture shows up in the shared list.
  await sendOrder(captureUrl, "/refunds");
  await expect(list(guest).getByRole("link", { name: /POST.*\/refunds/ })).toBeVisible();

  await list(guest)
    .getByRole("link", { name: /POST.*\/orders/ })
    .click();
  await expect(guest).toHaveURL(/\/s\/hs_shr_[^?]+\?c=cap_/);
  await expect(guest.getByRole("heading", { level: 2 })).toContainText("/orders");
  await expect(headerRow(guest, /^\d+\s*Authorization/)).toContainText("Bearer ••••••");
  await expect(headerRow(guest, /^\d+\s*Authorization/)).toContainText("masked");
  await expect(guest.getByRole("button", { name: "Reveal" })).toHaveCount(0);
  await expect(guest.getByText("Shared links always show masked values; they cannot be revealed.")).toBeVisible();
  await expect(guest.getByRole("button", { name: /Delete capture|Share this capture/ })).toHaveCount(0);
  await expect(guest.getByLabel("JSON", { exact: true })).toContainText('"[REDACTED]"');
  await expect(guest.getByLabel("JSON", { exact: true }).getByTitle(/JSON path \$\.card\.number/)).toBeVisible();
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText(): the check is on the text the page shows
  expect(await guest.locator("body").innerText()).not.toMatch(/SECRET123|4242424242424242/);
  await settle(guest);
  await guest.screenshot({ path: path.join(shots, "share-page-light.png") });
  await guest.emulateMedia({ colorScheme: "dark" });
  await settle(guest);
  await guest.screenshot({ path: path.join(shots, "share-page-dark.png") });
  await guest.getByRole("region", { name: "Body" }).scrollIntoViewIfNeeded();
  await guest.screenshot({ path: path.join(shots, "share-page-body-dark.png") });

  // The downloaded body is masked.
  const [download] = await Promise.all([guest.waitForEvent("download"), guest.getByRole("link", { name: "Download masked body" }).click()]);
  const saved = readFileSync((await download.path())!, "utf8");
  expect(saved).toContain('"number":"[REDACTED]"');
  expect(saved).not.toContain(CARD);

  // Copy as uses the masked values.
  await guest.getByRole("button", { name: "Show command" }).click();
  const curl = guest.getByRole("tabpanel", { name: "curl command" });
  await expect(curl).toContainText("Authorization: Bearer [REDACTED]");
  await expect(curl).not.toContainText("SECRET123");

  // Moving around inside the page was not another view: one page open, one view.
  const counted = (await (await page.request.get(`/api/endpoints/${endpointId}/share-links`)).json()) as {
    shareLinks: { views: number; state: string }[];
  };
  expect(counted.shareLinks[0]!.views).toBe(1);

  // Revoked: the open page notices (its live stream ends), and a reload is the "not valid" 404.
  await page.getByRole("button", { name: "Settings" }).click();
  await dialog.getByRole("tab", { name: "Sharing" }).click();
  await item.getByRole("button", { name: "Revoke" }).click();
  await expect(item).toContainText("revoked");
  await expect(guest.getByRole("heading", { name: "This link is not valid" })).toBeVisible({ timeout: 20_000 });
  const again = await guest.reload();
  expect(again!.status()).toBe(404);
  await expect(guest.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  const asJson = await guest.request.get(new URL(shareUrl).pathname, { headers: { Accept: "application/json" } });
  expect(asJson.status()).toBe(404);
  await guest.context().close();
});

test("a capture share link shows just that capture; unknown links are the same 'not valid' page", async ({
  page,
  browser,
  baseURL,
  createEndpoint,
  pageErrors,
}) => {
  const captureUrl = await createEndpoint();
  await sendOrder(captureUrl, "/single");
  await list(page)
    .getByRole("link", { name: /POST.*\/single/ })
    .click();
  await page.getByRole("button", { name: "Share this capture" }).click();
  const dialog = page.getByRole("dialog", { name: "Share this capture" });
  await dialog.getByLabel("Expires after").selectOption({ label: "1 hour" });
  await dialog.getByRole("button", { name: "Create capture link" }).click();
  const shareUrl = (await dialog.getByTestId("new-share-url").textContent())!;
  await dialog.getByRole("button", { name: "Done" }).click();

  const guest = await newPage(browser, baseURL);
  await guest.goto(new URL(shareUrl).pathname);
  await expect(guest.getByRole("note", { name: "Shared view" })).toContainText("Shared read-only view · masked");
  await expect(guest.getByRole("heading", { level: 2 })).toContainText("/single");
  await expect(headerRow(guest, /^\d+\s*Authorization/)).toContainText("Bearer ••••••");
  await expect(guest.getByRole("list", { name: "Captures" })).toHaveCount(0);
  await expect(guest.getByRole("button", { name: "Reveal" })).toHaveCount(0);

  // The owner's page for a capture id that is not there: the 404 inside the endpoint page.
  const endpointPath = new URL(page.url()).pathname.split("/c/")[0]!;
  const missing = await page.goto(`${endpointPath}/c/cap_doesnotexist`);
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Capture not found" })).toBeVisible();
  await expect(page.getByTestId("capture-url")).toBeVisible();
  allowHttpErrors(pageErrors, [404]);

  const unknown = await guest.goto("/s/hs_shr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  expect(unknown!.status()).toBe(404);
  await expect(guest.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  await guest.context().close();
});

test("a viewer reads masked captures without settings, sharing, delete or reveal; a stranger gets the 404 page", async ({
  page,
  browser,
  baseURL,
}) => {
  const owner = newUser("Vera");
  await signUp(page, owner);
  const ws = (await (await page.request.post("/api/workspaces", { data: { name: "Support desk" } })).json()) as { id: string };
  const endpoint = (await (await page.request.post("/api/endpoints", { data: { name: "Customer hooks", workspaceId: ws.id } })).json()) as {
    id: string;
    url: string;
  };
  const invite = (await (await page.request.post(`/api/workspaces/${ws.id}/invites`, { data: { role: "viewer" } })).json()) as {
    token: string;
  };
  await sendOrder(endpoint.url, "/viewer");

  const viewer = await newPage(browser, baseURL);
  await signUp(viewer, newUser("Victor"));
  expect((await viewer.request.post("/api/invites/accept", { data: { token: invite.token } })).status()).toBe(200);
  await viewer.goto(`/e/${endpoint.id}`);
  await expect(viewer.getByTestId("endpoint-role")).toHaveText(/^Viewer/);
  await expect(viewer.getByRole("button", { name: "Settings" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Clear all" })).toHaveCount(0);
  await list(viewer)
    .getByRole("link", { name: /POST.*\/viewer/ })
    .click();
  await expect(headerRow(viewer, /^\d+\s*Authorization/)).toContainText("Bearer ••••••");
  await expect(viewer.getByRole("button", { name: "Reveal" })).toHaveCount(0);
  await expect(viewer.getByText(/Your role \(viewer\) can read captures but not reveal masked values/)).toBeVisible();
  await expect(viewer.getByRole("button", { name: /Delete capture|Share this capture/ })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Download raw body" })).toHaveAttribute("href", /\/body\?download=1$/);
  await viewer.context().close();

  // No session at all: the endpoint page and its capture pages are the 404 page.
  const stranger = await newPage(browser, baseURL);
  const res = await stranger.goto(`/e/${endpoint.id}`);
  expect(res!.status()).toBe(404);
  await expect(stranger.getByRole("heading", { name: "Endpoint not found" })).toBeVisible();
  await expect(stranger.getByText("Customer hooks")).toHaveCount(0);
  await stranger.context().close();
});

test("a compressed body that cannot be decoded is withheld from the masked view until revealed", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  const res = await fetch(`${captureUrl}/broken-gzip`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
    body: '{"password":"hunter2"} (not gzip at all)',
  });
  expect(res.status).toBe(200);
  await list(page)
    .getByRole("link", { name: /POST.*\/broken-gzip/ })
    .click();
  const body = page.getByRole("region", { name: "Body" });
  await expect(body.getByText("Body withheld from the masked view")).toBeVisible();
  await expect(body).toContainText(/could not be decoded \(not valid gzip data/);
  await expect(body).not.toContainText("hunter2");
  await expect(page.getByRole("link", { name: /Download .*body/ })).toHaveCount(0);

  await page.getByRole("button", { name: "Reveal" }).click();
  await expect(body.getByText("Body withheld from the masked view")).toHaveCount(0);
  await expect(body).toContainText(/Could not decode: not valid gzip data/);
  await expect(page.getByRole("link", { name: "Download raw body" })).toBeVisible();
});

test("redact at ingest: after switching it on, new captures are stored masked", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  await page.getByRole("button", { name: "Settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Endpoint settings" });
  await dialog.getByRole("tab", { name: "Redaction" }).click();
  const ingest = dialog.getByRole("switch", { name: "Redact at ingest" });
  await expect(ingest).not.toBeChecked();
  await ingest.check();
  await expect(dialog.getByRole("alert")).toContainText("from the next capture, the original values are not kept");
  await dialog.getByRole("button", { name: "Save redaction" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Saved.");
  await page.keyboard.press("Escape");

  await sendOrder(captureUrl, "/ingest");
  await list(page)
    .getByRole("link", { name: /POST.*\/ingest/ })
    .click();
  await page.getByRole("button", { name: "Reveal" }).click();
  await expect(page.getByText(/Showing the stored values/)).toBeVisible();
  // Even revealed, the stored value is the mask.
  await expect(headerRow(page, /^\d+\s*Authorization/)).toContainText("Bearer [REDACTED]");
  await expect(page.getByRole("table", { name: "Query parameters" }).getByRole("row", { name: /token \[REDACTED\]/ })).toBeVisible();
});
