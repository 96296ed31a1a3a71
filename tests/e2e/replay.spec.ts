// The replay workbench end to end in Chromium, against local echo servers on 127.0.0.1 (the server
// may reach them: ALLOWED_FORWARD_SUBNETS=127.0.0.0/8 for this file). A capture is replayed from
// the server, then again with an edited header; both attempts are listed and their response diff
// highlights the changed field. A replay from the browser reaches a CORS-enabled echo (and a target
// without CORS is explained); saved targets, a refused metadata target, the forwarding tab, and a
// viewer who sees replay disabled. Screenshots (light and dark) of the panel and the diff go to
// test-results/e2e-rui-screens, and to docs/screenshots with SCREENSHOTS=1.
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { allowHttpErrors, newPage, newUser, signUp } from "./account-helpers";

test.use({ serverEnv: { ALLOWED_FORWARD_SUBNETS: "127.0.0.0/8", FORWARD_TIMEOUT_MS: "5000" } });

const shots = path.resolve(import.meta.dirname, "../../test-results/e2e-rui-screens");
const docShots = path.resolve(import.meta.dirname, "../../docs/screenshots");
mkdirSync(shots, { recursive: true });

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

interface Received {
  method: string;
  url: string;
  headers: [string, string][];
  body: Buffer;
}

/** An HTTP server on 127.0.0.1 that answers JSON echoing X-Echo and a counter of the requests it answered. */
async function startEcho(opts: { cors: boolean }) {
  const received: Received[] = [];
  let count = 0;
  const cors: Record<string, string> = opts.cors
    ? {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "*",
        "Access-Control-Allow-Headers": "*",
        "Access-Control-Expose-Headers": "*",
      }
    : {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "OPTIONS") {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      count += 1;
      const body = Buffer.concat(chunks);
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      received.push({ method: req.method!, url: req.url!, headers, body });
      const answer = {
        echo: req.headers["x-echo"] ?? null,
        count,
        method: req.method,
        path: req.url,
        bytes: body.length,
        sha256: sha256(body),
      };
      res.writeHead(200, { "Content-Type": "application/json", "X-Count": String(count), ...cors });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // kept-alive connections would hold close() open
      }),
  };
}

const ORDER = JSON.stringify({
  id: "evt_42",
  type: "order.paid",
  data: { amount: 4200, currency: "eur", items: [{ id: "sku_1", qty: 2 }] },
});

async function sendCapture(captureUrl: string, suffix = "/hooks/order?src=e2e") {
  const res = await fetch(`${captureUrl}${suffix}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Echo": "one", Authorization: "Bearer SECRET123", "X-Request-Id": "req_e2e_1" },
    body: ORDER,
  });
  expect(res.status).toBe(200);
}

const list = (page: Page) => page.getByRole("list", { name: "Captures" });
const panel = (page: Page) => page.getByRole("region", { name: "Replay", exact: true });
const attemptRows = (page: Page) => panel(page).getByTestId("attempt-row");

async function settle(page: Page) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
}

async function shoot(page: Page, target: Locator, name: string) {
  // The detail pane scrolls on its own: a viewport as tall as its content keeps the whole element in view.
  const size = page.viewportSize()!;
  const tall = await page.evaluate(() => document.querySelector('section[aria-label="Capture detail"]')!.scrollHeight + 200);
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(tall, size.height), 8000) });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await settle(page);
    await target.screenshot({ path: path.join(shots, `${name}-${scheme}.png`) });
    if (process.env.SCREENSHOTS) await target.screenshot({ path: path.join(docShots, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(size);
}

/** The value input of the replay header row named `name`. */
async function headerValueInput(page: Page, name: string): Promise<Locator> {
  const names = panel(page).getByLabel(/^Header \d+ name$/);
  await expect(names.first()).toBeVisible();
  const n = await names.count();
  for (let i = 0; i < n; i++) {
    if ((await names.nth(i).inputValue()).toLowerCase() === name.toLowerCase())
      return panel(page).getByLabel(`Header ${i + 1} value`, { exact: true });
  }
  throw new Error(`no header row ${name}`);
}

async function signUpWithEndpoint(page: Page, label: string) {
  await signUp(page, newUser(label));
  await page.getByRole("button", { name: "Create a capture URL" }).click();
  await expect(page).toHaveURL(/\/e\/ep_[^/]+$/);
  await expect(page.getByRole("status", { name: /Live updates: Live/ })).toBeVisible();
  return (await page.getByTestId("capture-url").textContent())!;
}

async function openCapture(page: Page, name: RegExp): Promise<string> {
  await list(page).getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/c\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
}

test("replay from the server, again with an edited header, both attempts listed and their diff highlighted", async ({
  page,
  pageErrors,
}) => {
  test.setTimeout(120_000);
  const echo = await startEcho({ cors: false });
  try {
    const captureUrl = await signUpWithEndpoint(page, "Rita");
    await sendCapture(captureUrl);
    const captureId = await openCapture(page, /POST.*\/hooks\/order/);
    const stored = (await (await page.request.get(`/api/captures/${encodeURIComponent(captureId)}`)).json()) as { bodySha256: string };

    await expect(panel(page).getByText("No attempts yet.")).toBeVisible();
    await panel(page).getByRole("button", { name: "Replay this request…" }).click();
    const form = panel(page).getByRole("form", { name: "Replay request" });
    // The editor starts from the exact headers: the masked Authorization is loaded with its stored value.
    await expect(form.getByText(/stored values \(loaded as a reveal/)).toBeVisible();
    await expect(await headerValueInput(page, "Authorization")).toHaveValue("Bearer SECRET123");
    await expect(form.getByLabel("Send credentials (Authorization, Cookie)")).not.toBeChecked();
    await expect(form.getByRole("radio", { name: /Original bytes/ })).toBeChecked();

    // A metadata address is refused by the server, clearly, and nothing is stored.
    await form.getByLabel("Target URL").fill("http://169.254.169.254/latest/meta-data");
    await form.getByRole("button", { name: "Send from server" }).click();
    const refused = panel(page).getByTestId("replay-result");
    await expect(refused).toContainText("Refused: 169.254.169.254 is a cloud metadata address.");
    await expect(refused).toContainText("always refused");
    allowHttpErrors(pageErrors, [422]);

    // Saved targets: save the echo with a label, pick it later.
    await form.getByLabel("Target URL").fill(`${echo.url}/echo`);
    await expect(form.getByTestId("resolved-url")).toHaveText(`${echo.url}/echo/hooks/order?src=e2e`);
    await form.getByRole("button", { name: "Save target…" }).click();
    await form.getByLabel("Target label").fill("local echo");
    await form.getByRole("button", { name: "Save this URL" }).click();
    await expect(form.getByRole("status").filter({ hasText: "Saved “local echo”." })).toBeVisible();
    await expect(form.getByLabel("Saved targets")).toHaveValue(/^rt_/);

    await form.getByRole("button", { name: "Send from server" }).click();
    const result = panel(page).getByTestId("replay-result");
    await expect(result).toContainText("Sent from the server");
    await expect(result).toContainText("200");
    await expect(attemptRows(page)).toHaveCount(1);
    // Byte-exact, the capture's header list, credentials left out, path and query appended.
    expect(echo.received).toHaveLength(1);
    const first = echo.received[0]!;
    expect(first.url).toBe("/echo/hooks/order?src=e2e");
    expect(sha256(first.body)).toBe(stored.bodySha256);
    expect(first.headers.find(([n]) => n.toLowerCase() === "x-echo")?.[1]).toBe("one");
    expect(first.headers.some(([n]) => n.toLowerCase() === "authorization")).toBe(false);
    // The attempt opens with the exact request sent and the response.
    const detail = panel(page).getByTestId("attempt-detail");
    await expect(detail).toContainText(`POST ${echo.url}/echo/hooks/order?src=e2e`);
    await expect(detail.getByTestId("request-sha256")).toHaveText(stored.bodySha256);
    await expect(detail.getByRole("table", { name: "Response headers" })).toContainText("X-Count");
    await expect(detail).toContainText('"echo"');

    // Edit a header; the diff against the original shows it (and the left-out Authorization).
    await (await headerValueInput(page, "X-Echo")).fill("two");
    await expect(form.getByText("edited", { exact: true })).toBeVisible();
    await form.getByRole("button", { name: "Diff against original" }).click();
    const requestDiff = panel(page).getByTestId("request-diff");
    await expect(requestDiff.locator('li[data-kind="changed"]', { hasText: /x-echo/i })).toContainText(/one.*two/);
    await expect(requestDiff.locator('li[data-kind="removed"]', { hasText: /authorization/i })).toBeVisible();

    await form.getByRole("button", { name: "Send from server" }).click();
    await expect(attemptRows(page)).toHaveCount(2);
    expect(echo.received).toHaveLength(2);
    expect(echo.received[1]!.headers.find(([n]) => n.toLowerCase() === "x-echo")?.[1]).toBe("two");
    await expect(attemptRows(page).first()).toContainText("server");
    await expect(attemptRows(page).first()).toContainText("200");
    await settle(page);
    await shoot(page, panel(page), "replay-panel");

    // Tick both attempts and compare their responses: the echoed header and the counter changed.
    await panel(page).getByLabel("Compare attempt 1").check();
    await panel(page).getByLabel("Compare attempt 2").check();
    await panel(page).getByRole("button", { name: "Compare responses (2/2)" }).click();
    const diff = panel(page).getByTestId("response-diff");
    const echoChange = diff.locator('li[data-path="$.echo"]');
    await expect(echoChange).toHaveAttribute("data-kind", "changed");
    await expect(echoChange).toContainText('"one"');
    await expect(echoChange).toContainText('"two"');
    await expect(diff.locator('li[data-path="$.count"]')).toHaveAttribute("data-kind", "changed");
    // Unchanged fields are not listed; the highlighted row is amber.
    await expect(diff.locator('li[data-path="$.method"]')).toHaveCount(0);
    await expect(echoChange).toHaveClass(/bg-amber-50/);
    await expect(diff.getByRole("list", { name: "Response header changes" })).toContainText("X-Count");
    await expect(diff).toContainText("Same status (200)");
    await diff.scrollIntoViewIfNeeded();
    await shoot(page, diff, "replay-diff");

    // Deleting the saved target.
    await form.getByLabel("Saved targets").selectOption({ label: `local echo — ${echo.url}/echo` });
    await form.getByRole("button", { name: "Delete saved target" }).click();
    await form.getByRole("button", { name: "Confirm delete" }).click();
    await expect(form.getByRole("status").filter({ hasText: "Deleted “local echo”." })).toBeVisible();
    await expect(form.getByLabel("Saved targets")).toBeDisabled();
  } finally {
    await echo.stop();
  }
});

test("replay from the browser reaches a CORS-enabled target and is recorded; a target without CORS is explained", async ({
  page,
  pageErrors,
}) => {
  test.setTimeout(90_000);
  const echo = await startEcho({ cors: true });
  const closed = await startEcho({ cors: false });
  try {
    const captureUrl = await signUpWithEndpoint(page, "Bruno");
    await sendCapture(captureUrl, "/browser");
    const captureId = await openCapture(page, /POST.*\/browser/);
    const stored = (await (await page.request.get(`/api/captures/${encodeURIComponent(captureId)}`)).json()) as { bodySha256: string };
    await panel(page).getByRole("button", { name: "Replay this request…" }).click();
    const form = panel(page).getByRole("form", { name: "Replay request" });
    await form.getByLabel("Target URL").fill(`${echo.url}/local`);
    await form.getByRole("button", { name: "Send from browser" }).click();

    const result = panel(page).getByTestId("replay-result");
    await expect(result).toContainText("Sent from this browser");
    await expect(result).toContainText("200");
    // Host and Content-Length are the browser's; Authorization is a credential (off).
    await expect(result).toContainText(/Left out by the browser — browsers refuse to let a page set: host, connection,/i);
    await expect(result).toContainText(/credentials are off: authorization/i);
    await expect(result).toContainText("Recorded as a browser attempt below.");
    await expect(attemptRows(page)).toHaveCount(1);
    await expect(attemptRows(page).first()).toContainText("browser");

    expect(echo.received).toHaveLength(1);
    const got = echo.received[0]!;
    expect(got.url).toBe("/local/browser");
    expect(sha256(got.body)).toBe(stored.bodySha256);
    expect(got.headers.find(([n]) => n.toLowerCase() === "x-echo")?.[1]).toBe("one");
    expect(got.headers.find(([n]) => n.toLowerCase() === "x-request-id")?.[1]).toBe("req_e2e_1");
    expect(got.headers.some(([n]) => n.toLowerCase() === "authorization")).toBe(false);
    // The recorded attempt holds the response the browser read (exposed headers included).
    const detail = panel(page).getByTestId("attempt-detail");
    await expect(detail.getByRole("table", { name: "Response headers" })).toContainText("x-count");
    await expect(detail).toContainText("A browser only shows the response headers the target exposes");
    await shoot(page, panel(page), "replay-browser");

    // A target that does not allow this origin: the preflight fails, nothing is sent, and the page says what to configure.
    await form.getByLabel("Target URL").fill(`${closed.url}/nocors`);
    await form.getByRole("button", { name: "Send from browser" }).click();
    const explanation = panel(page).getByTestId("cors-explanation");
    await expect(explanation).toContainText("The browser could not complete the request.");
    await expect(explanation).toContainText(`Access-Control-Allow-Origin: ${new URL(page.url()).origin}`);
    await expect(explanation).toContainText(/Access-Control-Allow-Headers: content-type, x-echo, x-request-id\./i);
    await expect(attemptRows(page)).toHaveCount(2);
    await expect(attemptRows(page).first()).toContainText("cors_or_network");
    expect(closed.received).toHaveLength(0);
    // Chromium reports the refused request in the console; that is the case under test here.
    for (let i = pageErrors.length - 1; i >= 0; i--) {
      if (/blocked by CORS policy|net::ERR_FAILED/.test(pageErrors[i]!)) pageErrors.splice(i, 1);
    }
  } finally {
    await echo.stop();
    await closed.stop();
  }
});

test("forwarding tab: a rule forwards new captures, listed as forward attempts", async ({ page }) => {
  const echo = await startEcho({ cors: false });
  try {
    const captureUrl = await signUpWithEndpoint(page, "Fern");
    await page.getByRole("button", { name: "Settings" }).click();
    const dialog = page.getByRole("dialog", { name: "Endpoint settings" });
    await dialog.getByRole("tab", { name: "Forwarding" }).click();
    const form = dialog.getByRole("form", { name: "Forwarding" });
    await expect(form).toContainText("No forwarding rule yet.");
    await form.getByLabel("Forward to").fill(`${echo.url}/fwd`);
    await expect(form.getByLabel("Enabled")).toBeChecked();
    await form.getByLabel("Max attempts").fill("3");
    await form.getByRole("button", { name: "Start forwarding" }).click();
    await expect(form.getByRole("status")).toContainText("Saved: new captures are forwarded.");
    await expect(form.getByTestId("forward-status")).toContainText("Forwarding on");
    await page.keyboard.press("Escape");

    await sendCapture(captureUrl, "/fwd-me");
    await expect.poll(() => echo.received.length).toBe(1);
    expect(echo.received[0]!.url).toBe("/fwd/fwd-me");
    await openCapture(page, /POST.*\/fwd-me/);
    await expect(async () => {
      await panel(page).getByRole("button", { name: "Refresh" }).click();
      await expect(attemptRows(page)).toHaveCount(1, { timeout: 1000 });
    }).toPass();
    await expect(attemptRows(page).first()).toContainText("forward");
    await expect(attemptRows(page).first()).toContainText("200");
  } finally {
    await echo.stop();
  }
});

test("a viewer reads the attempts but sees replay disabled, with the reason", async ({ page, browser, baseURL }) => {
  const echo = await startEcho({ cors: false });
  try {
    await signUp(page, newUser("Olga"));
    const ws = (await (await page.request.post("/api/workspaces", { data: { name: "Replay desk" } })).json()) as { id: string };
    const endpoint = (await (await page.request.post("/api/endpoints", { data: { name: "Hooks", workspaceId: ws.id } })).json()) as {
      id: string;
      url: string;
    };
    const invite = (await (await page.request.post(`/api/workspaces/${ws.id}/invites`, { data: { role: "viewer" } })).json()) as {
      token: string;
    };
    await sendCapture(endpoint.url, "/viewer");
    const captures = (await (await page.request.get(`/api/endpoints/${endpoint.id}/captures`)).json()) as { captures: { id: string }[] };
    const replayed = await page.request.post(`/api/captures/${captures.captures[0]!.id}/replay`, { data: { url: `${echo.url}/v` } });
    expect(replayed.status()).toBe(201);

    const viewer = await newPage(browser, baseURL);
    await signUp(viewer, newUser("Vic"));
    expect((await viewer.request.post("/api/invites/accept", { data: { token: invite.token } })).status()).toBe(200);
    await viewer.goto(`/e/${endpoint.id}`);
    await expect(viewer.getByTestId("endpoint-role")).toHaveText(/^Viewer/);
    await list(viewer)
      .getByRole("link", { name: /POST.*\/viewer/ })
      .click();
    const button = panel(viewer).getByRole("button", { name: "Replay this request…" });
    await expect(button).toBeDisabled();
    await expect(panel(viewer).getByRole("note")).toContainText("Replay is not available to your role (viewer)");
    await expect(panel(viewer).getByRole("form", { name: "Replay request" })).toHaveCount(0);
    await expect(attemptRows(viewer)).toHaveCount(1);
    await panel(viewer).getByRole("button", { name: "Open attempt 1" }).click();
    await expect(panel(viewer).getByTestId("attempt-detail")).toContainText(`POST ${echo.url}/v`);
    await expect(panel(viewer).getByTestId("attempt-detail").getByRole("button", { name: "Reveal" })).toHaveCount(0);
    await viewer.context().close();
  } finally {
    await echo.stop();
  }
});

test("a capture with more attempts than one page shows the newest 50, then loads the older ones", async ({ page }) => {
  const captureUrl = await signUpWithEndpoint(page, "Paige");
  await sendCapture(captureUrl, "/many-attempts");
  const captureId = await openCapture(page, /POST.*\/many-attempts/);
  // 55 browser replays reported (the way "Send from browser" records them), the newest last.
  for (let i = 1; i <= 55; i++) {
    const res = await page.request.post(`/api/captures/${encodeURIComponent(captureId)}/attempts`, {
      data: {
        kind: "browser",
        request: { url: `http://localhost:9/attempt-${i}`, method: "POST" },
        response: { status: 200 + (i % 3), headers: [] },
      },
    });
    expect(res.status()).toBe(201);
  }
  await panel(page).getByRole("button", { name: "Refresh" }).click();
  await expect(panel(page).getByRole("heading", { name: "Attempts (50+)" })).toBeVisible();
  await expect(attemptRows(page)).toHaveCount(50);
  await expect(attemptRows(page).first()).toContainText("/attempt-55");
  await expect(attemptRows(page).last()).toContainText("/attempt-6");

  await panel(page).getByRole("button", { name: "Load older attempts" }).click();
  await expect(attemptRows(page)).toHaveCount(55);
  await expect(attemptRows(page).last()).toContainText("/attempt-1");
  await expect(panel(page).getByRole("heading", { name: "Attempts (55)" })).toBeVisible();
  await expect(panel(page).getByRole("button", { name: "Load older attempts" })).toHaveCount(0);
});
