// Live-stream resilience: this worker's server closes every live stream after 2 s
// (SSE_MAX_AGE_MS); the browser's EventSource reconnects with Last-Event-ID and the list must miss
// nothing sent around the drops, without a reload.
import { test, expect } from "./fixtures";
import type { Page } from "@playwright/test";

test.use({ serverEnv: { SSE_MAX_AGE_MS: "2000" } });

const list = (page: Page) => page.getByRole("list", { name: "Captures" });
const row = (page: Page, name: RegExp) => list(page).getByRole("link", { name });

test("captures sent around the drops all appear without a reload", async ({ page, createEndpoint }) => {
  test.setTimeout(90_000);
  const captureUrl = await createEndpoint();
  const send = async (p: string) => expect((await fetch(`${captureUrl}${p}`, { method: "POST", body: p })).status).toBe(200);
  const reconnecting = page.getByRole("status", { name: /Live updates: Reconnecting/ });
  const live = page.getByRole("status", { name: /Live updates: Live/ });

  await send("/before-drop");
  await expect(row(page, /\/before-drop/)).toBeVisible();
  for (let round = 1; round <= 2; round++) {
    await expect(reconnecting).toBeVisible({ timeout: 5000 });
    // Sent while the stream is down: replayed from Last-Event-ID on reconnect.
    await send(`/gap/${round}/a`);
    await send(`/gap/${round}/b`);
    await expect(live).toBeVisible({ timeout: 8000 });
    await send(`/after/${round}`);
    for (const p of [`/gap/${round}/a`, `/gap/${round}/b`, `/after/${round}`]) await expect(row(page, new RegExp(p))).toBeVisible();
  }
  await expect(list(page).getByRole("link")).toHaveCount(7);
});
