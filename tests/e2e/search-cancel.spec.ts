// Cancelling a long delete by query (issue 16): the job deletes in small batches with a pause (a few
// seconds for 20 matches), the dialog shows its progress and a Cancel button; cancelled, it says how
// many went, and the list (filtered, then unfiltered) shows exactly the rest.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Batches of 2 captures 400 ms apart: 20 matches take about 4 s; 10 matches or more is a job. A tall
// window, so that the (virtualised) list renders every row.
test.use({
  serverEnv: { CLEAR_JOB_THRESHOLD: "10", PURGE_BATCH_ROWS: "2", PURGE_PAUSE_MS: "400" },
  viewport: { width: 1280, height: 1400 },
});

const list = (page: Page) => page.getByRole("list", { name: "Captures" });
const rows = (page: Page) => list(page).getByRole("link");
const bar = (page: Page) => page.getByRole("combobox", { name: "Search captures" });

async function send(captureUrl: string, pathname: string, n: number) {
  const res = await fetch(`${captureUrl}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ n }),
  });
  expect(res.status).toBe(200);
}

test("cancel a long bulk delete: 'Cancelled after N deleted', the rest still listed", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  for (let i = 0; i < 20; i++) await send(captureUrl, `/bulk/${i}`, i);
  await send(captureUrl, "/keep/a", 1);
  await send(captureUrl, "/keep/b", 2);
  await expect(rows(page)).toHaveCount(22);

  await bar(page).fill("path:/bulk/*");
  await bar(page).press("Enter");
  await expect(rows(page)).toHaveCount(20);
  await page.getByRole("button", { name: "Delete matching" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toHaveAccessibleName("Delete 20 matching captures?");
  await dialog.getByRole("button", { name: "Delete 20 captures" }).click();

  // Running: the bar moves; Cancel once some are gone.
  await expect(dialog.getByRole("progressbar", { name: "Delete progress" })).toBeVisible();
  await expect(dialog.getByText(/^[1-9]\d* of 20 deleted \(running\)$/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel delete" }).click();

  const outcome = dialog.getByRole("status");
  await expect(outcome).toHaveText(/^Cancelled after \d+ deleted\.$/);
  const deleted = Number(/after (\d+)/.exec((await outcome.textContent()) ?? "")![1]);
  expect(deleted).toBeGreaterThan(0);
  expect(deleted).toBeLessThan(20);
  await expect(dialog.getByRole("button", { name: "Cancel delete" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Close" }).click();

  // The rest is listed: the matches that stayed, and with the query cleared, those plus the two others.
  await expect(rows(page)).toHaveCount(20 - deleted);
  await expect(page.getByTestId("match-count")).toHaveText(`${20 - deleted} matches`);
  await bar(page).fill("");
  await bar(page).press("Enter");
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect(rows(page)).toHaveCount(22 - deleted);
  await expect(list(page).getByRole("link", { name: /\/keep\/a/ })).toBeVisible();
});
