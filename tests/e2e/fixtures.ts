// One real Hookscope server (production build, fresh SQLite) per Playwright worker, and baseURL
// pointing at it. PUBLIC_URL is the server's own address, so the capture URL the page shows is the
// one tests send to.
import { test as base, expect, type Page } from "@playwright/test";
import { freePort } from "../helpers/ports";
import { startServer, type TestServer } from "../helpers/server";

export const test = base.extend<
  { createEndpoint: () => Promise<string>; pageErrors: string[] },
  { server: TestServer; serverEnv: Record<string, string> }
>({
  /** Extra environment for the worker's server, e.g. test.use({ serverEnv: { SSE_MAX_AGE_MS: "2000" } }). */
  serverEnv: [{}, { scope: "worker", option: true }],
  server: [
    async ({ serverEnv }, use) => {
      const port = await freePort();
      // Every spec signs up from 127.0.0.1: the per-address sign-up limit (its own integration test) is raised.
      const server = await startServer({
        env: { SIGNUP_MAX_PER_ADDRESS: "10000", ...serverEnv, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
      });
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: "worker", timeout: 90_000 },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  /** Fails any test whose page throws or reports a console error (CSP violations included). */
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      page.on("console", (msg) => {
        // The sandboxed HTML preview (about:srcdoc) reports the captured page's scripts and loads it
        // blocks; those are the sandbox working, not errors of the dashboard.
        const fromPreview = msg.location().url === "about:srcdoc" || msg.text().includes("'about:srcdoc'");
        if (msg.type() === "error" && !fromPreview) errors.push(`${msg.text()} (${msg.location().url})`);
      });
      await use(errors);
      expect(errors).toEqual([]);
    },
    { auto: true },
  ],
  /** Creates an endpoint from the home page and returns the capture URL the endpoint page shows. */
  createEndpoint: async ({ page }, use) => {
    await use(() => createEndpointFromHome(page));
  },
});

export async function createEndpointFromHome(page: Page): Promise<string> {
  await page.goto("/");
  await page.getByRole("button", { name: "Create a capture URL" }).click();
  await expect(page).toHaveURL(/\/e\/[^/]+$/);
  const url = page.getByTestId("capture-url");
  await expect(url).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/in\/\S+$/);
  await expect(page.getByRole("status", { name: /Live updates: Live/ })).toBeVisible();
  return (await url.textContent())!;
}

export { expect };
