// Cross-site request forgery from a second origin: a signed-in member visits an attacker's page
// (another local server, so another origin; the session cookie is SameSite=Lax and the attacker is
// same-site on 127.0.0.1, so the browser does send it). The page's form POST and fetch POST to the
// replay, delete and share routes are all refused (403 cross_origin): no request reaches the
// replay target, nothing is deleted, no share link is made. The same replay from the app works.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect } from "./fixtures";
import { allowHttpErrors, newUser, signUp } from "./account-helpers";

test.use({ serverEnv: { ALLOWED_FORWARD_SUBNETS: "127.0.0.0/8" } });

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // close() waits for every open connection; the browser keeps its kept-alive ones open (once for
  // 56 s, past the test's timeout), so they are dropped as well.
  const close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, close };
}

test("an attacker page on another origin cannot replay, delete or share with the member's session", async ({
  page,
  baseURL,
  pageErrors,
}) => {
  let targetHits = 0;
  const target = await listen((_req, res) => {
    targetHits++;
    res.end("ok");
  });

  const user = newUser("Victim");
  await signUp(page, user);
  const created = await page.request.post("/api/endpoints", { data: { name: "victim's endpoint" } });
  expect(created.status()).toBe(201);
  const endpoint = (await created.json()) as { id: string; token: string };
  const sent = await page.request.post(`/in/${endpoint.token}/hook`, { data: { a: 1 } });
  const { captureId } = (await sent.json()) as { captureId: string };

  const results: string[] = [];
  const attacker = await listen((req, res) => {
    if (req.url === "/report") {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        results.push(body);
        res.end();
      });
      return;
    }
    res.setHeader("Content-Type", "text/html");
    res.end(`<!doctype html><title>win a prize</title>
<form id="f" method="POST" action="${baseURL}/api/captures/${captureId}/replay" enctype="text/plain" target="sink">
<input name='{"url":"${target.url}/x","ignore":"' value='"}'></form>
<iframe name="sink"></iframe>
<script>
const report = (what) => fetch("/report", { method: "POST", body: what });
async function attack() {
  for (const [method, path, body] of [
    ["POST", "/api/captures/${captureId}/replay", JSON.stringify({ url: "${target.url}/y" })],
    ["DELETE", "/api/captures/${captureId}", undefined],
    ["DELETE", "/api/endpoints/${endpoint.id}", undefined],
    ["POST", "/api/endpoints/${endpoint.id}/share-links", "{}"],
  ]) {
    try {
      const res = await fetch("${baseURL}" + path, { method, body, credentials: "include", headers: body ? { "Content-Type": "application/json" } : {} });
      await report(method + " " + path + " " + res.status);
    } catch (e) {
      await report(method + " " + path + " blocked");
    }
  }
  document.getElementById("f").submit();
  await report("done");
}
attack();
</script>`);
  });

  try {
    await page.goto(`${attacker.url}/`);
    await expect.poll(() => results.includes("done"), { timeout: 15_000 }).toBe(true);
    await page.waitForTimeout(1000);
    // Cross-origin fetches with credentials are either refused by the server or never readable;
    // whatever the browser did, nothing may have happened on the server.
    expect(targetHits).toBe(0);

    await page.goto("/");
    const capture = await page.request.get(`/api/captures/${captureId}`);
    expect(capture.status()).toBe(200);
    expect((await page.request.get(`/api/endpoints/${endpoint.id}`)).status()).toBe(200);
    const attempts = await (await page.request.get(`/api/captures/${captureId}/attempts`)).json();
    expect(attempts.attempts).toHaveLength(0);
    const shares = await (await page.request.get(`/api/endpoints/${endpoint.id}/share-links`)).json();
    expect(shares.shareLinks).toHaveLength(0);

    // The server's own answer to such a request, seen directly: 403 cross_origin.
    const forged = await page.request.post(`/api/captures/${captureId}/replay`, {
      data: { url: `${target.url}/z` },
      headers: { Origin: attacker.url, "Sec-Fetch-Site": "same-site" },
    });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).error.code).toBe("cross_origin");
    expect(targetHits).toBe(0);

    // The same replay from the app itself goes through.
    const ok = await page.request.post(`/api/captures/${captureId}/replay`, { data: { url: `${target.url}/ok` } });
    expect(ok.status()).toBe(201);
    expect(targetHits).toBe(1);
  } finally {
    await attacker.close();
    await target.close();
  }
  // The attacker page's refused requests show up as console errors of that page.
  allowHttpErrors(pageErrors, [403]);
  for (let i = pageErrors.length - 1; i >= 0; i--) if (/CORS|Access-Control|ERR_FAILED|net::/.test(pageErrors[i]!)) pageErrors.splice(i, 1);
});
