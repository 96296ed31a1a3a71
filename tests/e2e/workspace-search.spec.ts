// Workspace-wide search (/w/<id>, issue 16): one bar over every endpoint of the workspace the caller may
// read, newest first, each row naming its endpoint and opening its capture; endpoint:<alias> narrows;
// "Load older" pages back; ?q= is kept in the address; workspace views are saved and opened; a viewer
// cannot find a value the default rules mask (the Authorization header).
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { newPage, newUser, signUp } from "./account-helpers";
import { expect, test } from "./fixtures";

const shots = process.env.SEARCH_SHOTS_DIR ?? "/tmp/hookscope-search-shots";
const results = (page: Page) => page.getByRole("list", { name: "Search results" }).getByRole("link");
const bar = (page: Page) => page.getByRole("combobox", { name: "Search captures" });

async function post(request: APIRequestContext, url: string, data: unknown) {
  const res = await request.post(url, { data });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}

async function send(captureUrl: string, pathname: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${captureUrl}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

/** Runs a query as a person does (type, Enter) and waits until the address holds it. */
async function search(page: Page, q: string) {
  await bar(page).fill(q);
  await bar(page).press("Enter");
  await expect.poll(() => new URL(page.url()).searchParams.get("q") ?? "").toBe(q);
}

test("search a workspace: both endpoints, endpoint:<alias> narrows, load older, views, masked for viewers", async ({
  page,
  browser,
  baseURL,
}) => {
  const owner = newUser("Owner");
  await signUp(page, owner);
  const ws = (await post(page.request, "/api/workspaces", { name: "Team search" })).id as string;
  const tag = Math.random().toString(36).slice(2, 7);
  const orders = await post(page.request, "/api/endpoints", { workspaceId: ws, name: "Orders", alias: `orders-${tag}` });
  const billing = await post(page.request, "/api/endpoints", { workspaceId: ws, name: "Billing", alias: `billing-${tag}` });
  for (let i = 0; i < 50; i++) await send(billing.url, `/noise/${i}`, { i });
  await send(orders.url, "/orders/1", { customer: "alice" }, { authorization: "Bearer tok-zzz-123" });
  await send(orders.url, "/orders/2", { customer: "bob" });
  await send(billing.url, "/invoices/1", { customer: "alice" });
  await send(billing.url, "/invoices/2", { customer: "carol" });

  await page.goto(`/w/${ws}`);
  await expect(page.getByRole("heading", { name: "Search Team search" })).toBeVisible();
  // Newest first across the two endpoints, 50 to a page, then older ones on request.
  await expect(results(page)).toHaveCount(50);
  await expect(results(page).first()).toContainText("/invoices/2");
  await expect(results(page).first()).toContainText(`Billing (billing-${tag})`);
  await expect(results(page).nth(2)).toContainText(`Orders (orders-${tag})`);
  await page.getByRole("button", { name: "Load older" }).click();
  await expect(results(page)).toHaveCount(54);
  await expect(page.getByRole("button", { name: "Load older" })).toHaveCount(0);

  // A text term: rows from both endpoints, each with its endpoint's name; the query in the address.
  await search(page, "alice");
  await expect(page).toHaveURL(/[?&]q=alice$/);
  await expect(results(page)).toHaveCount(2);
  await expect(results(page).nth(0)).toContainText("/invoices/1");
  await expect(results(page).nth(0)).toContainText("Billing");
  await expect(results(page).nth(1)).toContainText("/orders/1");
  await expect(results(page).nth(1)).toContainText("Orders");
  // endpoint:<alias> narrows to one endpoint (highlighted as a field), by id too.
  await search(page, `endpoint:orders-${tag} alice`);
  await expect(page.getByTestId("query-highlight").locator('[data-kind="field"]').first()).toHaveText("endpoint:");
  await expect(results(page)).toHaveCount(1);
  await expect(results(page).first()).toContainText("/orders/1");
  await search(page, `endpoint:${billing.id} alice`);
  await expect(results(page)).toHaveCount(1);
  await expect(results(page).first()).toContainText("/invoices/1");
  // The owner may reveal, so the Authorization header's value is found.
  await search(page, "tok-zzz-123");
  await expect(results(page)).toHaveCount(1);
  // An unknown field: the inline error, nothing applied.
  await bar(page).fill("endpont:x");
  await expect(page.getByTestId("query-error")).toContainText('unknown field "endpont"');

  // Save the query as a workspace view, leave it, open it again from the list.
  await search(page, "alice");
  await expect(results(page)).toHaveCount(2);
  await page.getByRole("textbox", { name: "View name" }).fill("Alice everywhere");
  await page.getByRole("button", { name: "Save view" }).click();
  const view = page.getByRole("region", { name: "Saved views" }).getByRole("button", { name: /^Alice everywhere/ });
  await expect(view).toBeVisible();
  await page.screenshot({ path: path.join(shots, "workspace-search.png"), fullPage: true });
  await search(page, "");
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(results(page).first()).toContainText("/invoices/2");
  await expect(results(page).filter({ hasText: "/noise/" }).first()).toBeVisible();
  await view.click();
  await expect(bar(page)).toHaveValue("alice");
  await expect(results(page)).toHaveCount(2);

  // A row opens its capture in its endpoint's inspector.
  await results(page).nth(1).click();
  await expect(page).toHaveURL(new RegExp(`/e/${orders.id}/c/[^/?]+$`));
  await expect(page.getByRole("region", { name: "Capture detail" })).toContainText("/orders/1");

  // A viewer: the same rows, but the masked Authorization value is not findable.
  const invite = await post(page.request, `/api/workspaces/${ws}/invites`, { role: "viewer" });
  const viewerPage = await newPage(browser, baseURL);
  await signUp(viewerPage, newUser("Viewer"));
  await post(viewerPage.request, "/api/invites/accept", { token: invite.token });
  await viewerPage.goto(`/w/${ws}?q=alice`);
  await expect(results(viewerPage)).toHaveCount(2);
  await viewerPage.goto(`/w/${ws}?q=tok-zzz-123`);
  await expect(viewerPage.getByText("No captures match.")).toBeVisible();
  await expect(results(viewerPage)).toHaveCount(0);
  // Viewers see the workspace's views but cannot save one.
  await expect(viewerPage.getByRole("button", { name: /^Alice everywhere/ })).toBeVisible();
  await expect(viewerPage.getByRole("button", { name: "Save view" })).toHaveCount(0);
  await viewerPage.context().close();
});
