// Delete by query (POST /api/endpoints/:id/captures/delete) over the real server, both databases: the dry
// run's count, the delete (only matches, up to the newest capture at the request), its audit entry with
// the query and the count, the viewer's 403, and the job path for a large match set, whose progress moves
// in batches (PURGE_BATCH_ROWS=5, PURGE_PAUSE_MS=150: each batch is a separate statement between captures).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

async function send(server: TestServer, token: string, path: string, body: string) {
  const res = await fetch(`${server.url}/in/${token}${path}`, { method: "POST", headers: { "content-type": "text/plain" }, body });
  expect(res.status).toBe(200);
}

describe.each(await providers())("delete by query (%s)", (provider) => {
  let server: TestServer;
  let owner: Api;
  let viewer: Api;
  let ws: string;

  beforeAll(async () => {
    server = await startServer({ provider, env: { CLEAR_JOB_THRESHOLD: "20", PURGE_BATCH_ROWS: "5", PURGE_PAUSE_MS: "150" } });
    owner = new Api(server.url);
    viewer = new Api(server.url);
    await owner.signUp(`bulk-owner-${provider}@example.test`);
    await viewer.signUp(`bulk-viewer-${provider}@example.test`);
    ws = (await owner.json("POST", "/api/workspaces", { name: "Bulk" })).body.id;
    const inv = await owner.json("POST", `/api/workspaces/${ws}/invites`, { role: "viewer" });
    await viewer.json("POST", "/api/invites/accept", { token: inv.body.token });
  }, 120_000);
  afterAll(() => server?.stop());

  it("dry run counts, the delete removes only matches and is audited; viewers get 403", async () => {
    const ep = await owner.createEndpoint({ name: "bulk-small", workspaceId: ws });
    for (let i = 0; i < 12; i++) await send(server, ep.token, i % 2 ? "/keep" : "/drop", i % 2 ? `keep ${i}` : `deleteme ${i}`);
    const q = "deleteme path:/drop";
    const dry = await owner.json("POST", `/api/endpoints/${ep.id}/captures/delete`, { q, dryRun: true });
    expect(dry).toEqual({ status: 200, body: { count: 6, complete: true } });
    expect((await owner.allCaptureIds(ep.id)).length).toBe(12);
    expect((await viewer.json("POST", `/api/endpoints/${ep.id}/captures/delete`, { q })).status).toBe(403);
    expect((await owner.json("POST", `/api/endpoints/${ep.id}/captures/delete`, { q: "  " })).status).toBe(422);
    expect((await owner.json("POST", `/api/endpoints/${ep.id}/captures/delete`, { q: "nosuchfield:1" })).body.error.code).toBe(
      "invalid_query",
    );
    const done = await owner.json("POST", `/api/endpoints/${ep.id}/captures/delete`, { q });
    expect(done).toEqual({ status: 200, body: { deleted: 6 } });
    const left = await owner.captures(ep.id, "?limit=100");
    expect(left.captures.map((c: { path: string }) => c.path)).toEqual(Array(6).fill("/keep"));
    const audit = await owner.json("GET", `/api/workspaces/${ws}/audit?action=captures.delete_query`);
    expect(audit.body.events[0]).toMatchObject({ action: "captures.delete_query", target: { type: "endpoint", id: ep.id } });
    expect(audit.body.events[0].detail).toMatchObject({ query: q, count: 6, deleted: 6 });
  });

  it("a large match set becomes a job that deletes in batches; non-matching captures stay", async () => {
    const ep = await owner.createEndpoint({ name: "bulk-large", workspaceId: ws });
    for (let i = 0; i < 30; i++) await send(server, ep.token, "/noise", `purge-me ${i}`);
    for (let i = 0; i < 4; i++) await send(server, ep.token, "/keep", `stay ${i}`);
    const res = await owner.json("POST", `/api/endpoints/${ep.id}/captures/delete`, { q: "purge-me" });
    expect(res.status).toBe(202);
    const jobId = res.body.job.id as string;
    expect(res.body.job.kind).toBe("captures.delete_query");
    const seen = new Set<number>();
    let job = res.body.job;
    for (let i = 0; i < 200 && job.state !== "done" && job.state !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 40));
      job = (await owner.json("GET", `/api/jobs/${jobId}`)).body.job;
      seen.add(job.done);
    }
    expect(job).toMatchObject({ state: "done", done: 30, total: 30 });
    // Chunked: progress was seen between 0 and the end (batches of 5 with a pause between them).
    expect([...seen].some((d) => d > 0 && d < 30)).toBe(true);
    const left = await owner.captures(ep.id, "?limit=100");
    expect(left.captures.map((c: { path: string }) => c.path)).toEqual(Array(4).fill("/keep"));
    const audit = await owner.json("GET", `/api/workspaces/${ws}/audit?action=captures.delete_query`);
    expect(audit.body.events[0].detail).toMatchObject({ query: "purge-me", count: 30, jobId });
  });
});
