// Long bulk work as jobs (issue 16), on the real server and both databases: clearing an endpoint over
// CLEAR_JOB_THRESHOLD answers 202 with a job that deletes in batches (progress in GET /api/jobs/:id and its SSE
// stream), can be cancelled, is audited, and is visible only to those who may see its workspace; deleting a large
// endpoint hides it at once and purges it in a job; a small clear keeps its synchronous `{ deleted }` answer.
import { execFileSync } from "node:child_process";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";
import { openSeedDb, type SeedDb } from "../helpers/seed";

const THRESHOLD = 5000;

/** Every SSE event of a stream until it closes (or `ms` pass). */
async function readEvents(res: Response, ms = 20_000): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel().catch(() => {});
  return events;
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

type AuditEvent = { action: string; actor: { label: string }; target: { id: string } | null; detail: Record<string, unknown> };
async function auditOf(api: Api, ws: string): Promise<AuditEvent[]> {
  return (await api.json("GET", `/api/workspaces/${ws}/audit?limit=100`)).body.events;
}

describe.each(await providers())("jobs (%s)", (provider) => {
  let server: TestServer;
  let seed: SeedDb;
  let viewer: Api;
  let stranger: Api;
  let ownerApi: Api;
  let ws = "";

  beforeAll(async () => {
    // Small batches with a pause, so a 20k-row job lasts long enough to watch and to cancel.
    server = await startServer({
      provider,
      env: { CLEAR_JOB_THRESHOLD: String(THRESHOLD), PURGE_BATCH_ROWS: "1000", PURGE_PAUSE_MS: "20" },
    });
    seed = await openSeedDb(server);
    ownerApi = new Api(server.url);
    viewer = new Api(server.url);
    stranger = new Api(server.url);
    await ownerApi.signUp(`owner-${provider}@example.test`);
    await viewer.signUp(`viewer-${provider}@example.test`);
    await stranger.signUp(`stranger-${provider}@example.test`);
    ws = (await ownerApi.json("POST", "/api/workspaces", { name: "Big team" })).body.id;
    const inv = await ownerApi.json("POST", `/api/workspaces/${ws}/invites`, { role: "viewer" });
    expect((await viewer.json("POST", "/api/invites/accept", { token: inv.body.token })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await seed?.close();
    await server?.stop();
  });

  const capturesOf = (endpointId: string) => seed.count(`SELECT COUNT(*) AS n FROM "Capture" WHERE "endpointId" = ?`, endpointId);

  it("a small endpoint is still cleared at once: 200 { deleted }", async () => {
    const ep = await ownerApi.createEndpoint({ workspaceId: ws });
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: `${i}` })).status).toBe(200);
    const res = await ownerApi.json("DELETE", `/api/endpoints/${ep.id}/captures`);
    expect(res).toEqual({ status: 200, body: { deleted: 3 } });
  });

  it("a large clear is a job: 202, progress on the stream, batches, its signature checks gone, later captures kept, audited", async () => {
    const ep = await ownerApi.createEndpoint({ workspaceId: ws });
    await seed.captures(ep.id, 20_000, `clr${provider}`);
    await seed.signatureChecks(ep.id, `clr${provider}`, 10);
    expect(await seed.count(`SELECT COUNT(*) AS n FROM "SignatureCheck" WHERE "endpointId" = ?`, ep.id)).toBe(2000);

    const res = await ownerApi.json("DELETE", `/api/endpoints/${ep.id}/captures`);
    expect(res.status).toBe(202);
    const job = res.body.job;
    expect(job).toMatchObject({ kind: "captures.clear", endpointId: ep.id, workspaceId: ws, createdBy: `owner-${provider}@example.test` });
    expect(["queued", "running"]).toContain(job.state);
    // A capture that arrives after the clear was asked for is not part of it.
    const late = await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "after the clear" });
    const { captureId } = await late.json();

    const stream = await ownerApi.request("GET", `/api/jobs/${job.id}/stream`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(stream);
    const progress = events.filter((e) => e.event === "progress").map((e) => JSON.parse(e.data));
    const end = events.find((e) => e.event === "end");
    expect(end, JSON.stringify(events.slice(-3))).toBeDefined();
    expect(JSON.parse(end!.data)).toMatchObject({ state: "done", total: 20_000, done: 20_000 });
    // Seen in between: several distinct partial counts, never going back.
    const partial = progress.map((p) => p.done).filter((d) => d > 0 && d < 20_000);
    expect(new Set(partial).size).toBeGreaterThanOrEqual(3);
    expect([...partial].sort((a, b) => a - b)).toEqual(partial);

    expect(await capturesOf(ep.id)).toBe(1);
    expect((await ownerApi.captures(ep.id)).captures.map((c) => c.id)).toEqual([captureId]);
    expect(await seed.count(`SELECT COUNT(*) AS n FROM "SignatureCheck" WHERE "endpointId" = ?`, ep.id)).toBe(0);
    expect((await ownerApi.json("GET", `/api/jobs/${job.id}`)).body.job).toMatchObject({ state: "done", done: 20_000 });

    const entries = await auditOf(ownerApi, ws);
    expect(entries.find((e) => e.action === "captures.clear" && e.target?.id === ep.id)?.detail).toEqual({ jobId: job.id });
    expect(entries.find((e) => e.action === "job.finish" && e.target?.id === job.id)?.detail).toMatchObject({
      state: "done",
      done: 20_000,
    });
  }, 60_000);

  it("a job is seen by the workspace's viewers, not by strangers (404 on GET, stream and cancel); viewers cannot cancel", async () => {
    const ep = await ownerApi.createEndpoint({ workspaceId: ws });
    await seed.captures(ep.id, 20_000, `auth${provider}`);
    const { body } = await ownerApi.json("DELETE", `/api/endpoints/${ep.id}/captures`);
    const id = body.job.id as string;
    expect((await viewer.json("GET", `/api/jobs/${id}`)).body.job.id).toBe(id);
    expect((await viewer.json("POST", `/api/jobs/${id}/cancel`)).status).toBe(403);
    for (const other of [stranger, new Api(server.url)]) {
      expect((await other.json("GET", `/api/jobs/${id}`)).status).toBe(404);
      expect((await other.request("GET", `/api/jobs/${id}/stream`)).status).toBe(404);
      expect((await other.json("POST", `/api/jobs/${id}/cancel`)).status).toBe(404);
    }
    expect((await stranger.json("GET", "/api/jobs/job_nonexistent")).status).toBe(404);
    // Another owner's job is as invisible: the stranger's own endpoint's job is theirs alone.
    const mine = await stranger.createEndpoint();
    await seed.captures(mine.id, THRESHOLD + 1, `str${provider}`);
    const theirs = (await stranger.json("DELETE", `/api/endpoints/${mine.id}/captures`)).body.job.id as string;
    expect((await ownerApi.json("GET", `/api/jobs/${theirs}`)).status).toBe(404);
    expect((await stranger.json("GET", `/api/jobs/${theirs}`)).status).toBe(200);
    await waitFor(
      () => ownerApi.json("GET", `/api/jobs/${id}`),
      (r) => r.body.job.state === "done",
    );
  }, 60_000);

  it("cancel stops a running clear after its batch: the rest stays, and the cancel is audited", async () => {
    const ep = await ownerApi.createEndpoint({ workspaceId: ws });
    await seed.captures(ep.id, 40_000, `cnl${provider}`);
    const { body } = await ownerApi.json("DELETE", `/api/endpoints/${ep.id}/captures`);
    const id = body.job.id as string;
    await waitFor(
      () => ownerApi.json("GET", `/api/jobs/${id}`),
      (r) => r.body.job.done > 0,
    );
    const cancelled = await ownerApi.json("POST", `/api/jobs/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.job.state).toBe("cancelled");
    // Ended once the runner stopped after the batch in hand (finishedAt set then), and not before.
    const after = (
      await waitFor(
        () => ownerApi.json("GET", `/api/jobs/${id}`),
        (r) => r.body.job.finishedAt !== null,
      )
    ).body.job;
    expect(after.state).toBe("cancelled");
    const left = await capturesOf(ep.id);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(40_000);
    // Stopped: nothing more goes, and the stored progress is exactly what is gone (the last batch counted too).
    await new Promise((r) => setTimeout(r, 300));
    expect(await capturesOf(ep.id)).toBe(left);
    expect(after.done).toBe(40_000 - left);
    const stream = await readEvents(await ownerApi.request("GET", `/api/jobs/${id}/stream`), 5000);
    expect(JSON.parse(stream.find((e) => e.event === "end")!.data)).toMatchObject({ state: "cancelled", done: 40_000 - left });
    const entries = await auditOf(ownerApi, ws);
    expect(entries.find((e) => e.action === "job.cancel" && e.target?.id === id)?.actor.label).toBe(`owner-${provider}@example.test`);
    // A second clear starts a new job for what is left.
    const again = await ownerApi.json("DELETE", `/api/endpoints/${ep.id}/captures`);
    expect(again.status).toBe(202);
    expect(again.body.job.id).not.toBe(id);
    await waitFor(
      () => ownerApi.json("GET", `/api/jobs/${again.body.job.id}`),
      (r) => r.body.job.state === "done",
    );
    expect(await capturesOf(ep.id)).toBe(0);
  }, 60_000);

  it("deleting a large endpoint hides it at once and purges it in a job (row last); a small one is gone at once", async () => {
    const ep = await ownerApi.createEndpoint({ workspaceId: ws, alias: `big-${provider}-alias` });
    await seed.captures(ep.id, 20_000, `del${provider}`);
    const share = (await ownerApi.json("POST", `/api/endpoints/${ep.id}/share-links`, {})).body.url.split("/s/")[1] as string;
    expect((await fetch(`${server.url}/api/share/${share}`)).status).toBe(200);
    const res = await ownerApi.json("DELETE", `/api/endpoints/${ep.id}`);
    expect(res.status).toBe(202);
    expect(res.body.job).toMatchObject({ kind: "endpoint.purge", endpointId: ep.id });
    // Hidden at once: the API, the capture URL (past the 2 s target cache) and the list no longer show it.
    expect((await ownerApi.json("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    expect((await ownerApi.json("GET", `/api/endpoints/${ep.id}/captures`)).status).toBe(404);
    expect((await ownerApi.json("GET", "/api/endpoints")).body.endpoints.map((e: { id: string }) => e.id)).not.toContain(ep.id);
    expect((await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "x" })).status).toBe(404);
    expect((await fetch(`${server.url}/api/share/${share}`)).status).toBe(404);
    // Its alias is free again.
    expect((await ownerApi.json("POST", "/api/endpoints", { workspaceId: ws, alias: `big-${provider}-alias` })).status).toBe(201);
    // Its job is still visible to the workspace, and ends with the rows gone.
    const job = await waitFor(
      () => ownerApi.json("GET", `/api/jobs/${res.body.job.id}`),
      (r) => r.body.job.state === "done",
    );
    expect(job.body.job).toMatchObject({ state: "done", done: 20_000, total: 20_000 });
    expect(await capturesOf(ep.id)).toBe(0);
    expect(await seed.count(`SELECT COUNT(*) AS n FROM "Endpoint" WHERE id = ?`, ep.id)).toBe(0);
    // Not cancellable: the endpoint is already gone for everyone.
    expect((await ownerApi.json("POST", `/api/jobs/${res.body.job.id}/cancel`)).status).toBe(409);

    const small = await ownerApi.createEndpoint({ workspaceId: ws });
    await seed.captures(small.id, 10, `sml${provider}`);
    expect((await ownerApi.request("DELETE", `/api/endpoints/${small.id}`)).status).toBe(204);
    expect(await seed.count(`SELECT COUNT(*) AS n FROM "Endpoint" WHERE id = ?`, small.id)).toBe(0);
    expect(await capturesOf(small.id)).toBe(0);
  }, 60_000);

  it("deleting a workspace purges its endpoints in jobs, not in one cascading statement", async () => {
    const other = (await ownerApi.json("POST", "/api/workspaces", { name: "Short-lived" })).body.id as string;
    const ep = await ownerApi.createEndpoint({ workspaceId: other });
    await seed.captures(ep.id, 8000, `wsd${provider}`);
    expect((await ownerApi.request("DELETE", `/api/workspaces/${other}`)).status).toBe(204);
    expect((await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "x" })).status).toBe(404);
    const jobs = () => seed.count(`SELECT COUNT(*) AS n FROM "Job" WHERE "endpointId" = ? AND "kind" = 'endpoint.purge'`, ep.id);
    expect(await jobs()).toBe(1);
    await waitFor(
      () => seed.count(`SELECT COUNT(*) AS n FROM "Endpoint" WHERE id = ?`, ep.id),
      (n) => n === 0,
    );
    expect(await capturesOf(ep.id)).toBe(0);
    expect(await seed.count(`SELECT COUNT(*) AS n FROM "Job" WHERE "endpointId" = ? AND state = 'done' AND done = 8000`, ep.id)).toBe(1);
  }, 60_000);

  it("a job interrupted by a crash resumes after the restart and finishes", async () => {
    // 40 batches 50 ms apart: the job is still running (with some done) when the server is killed.
    const env = { CLEAR_JOB_THRESHOLD: String(THRESHOLD), PURGE_BATCH_ROWS: "500", PURGE_PAUSE_MS: "50" };
    const first = await startServer({ provider, env });
    const api = new Api(first.url);
    let firstSeed = await openSeedDb(first);
    let second: TestServer | undefined;
    try {
      const ep = await api.createEndpoint();
      await firstSeed.captures(ep.id, 20_000, `rst${provider}`);
      const id = (await api.json("DELETE", `/api/endpoints/${ep.id}/captures`)).body.job.id as string;
      await waitFor(
        () => api.json("GET", `/api/jobs/${id}`),
        (r) => r.body.job.done > 0,
      );
      // A crash: the server process (node on the built server, as npm start runs it) and any child killed at once.
      let children: number[] = [];
      try {
        children = execFileSync("pgrep", ["-P", String(first.child.pid)])
          .toString()
          .trim()
          .split("\n")
          .map(Number);
      } catch {
        // pgrep exits 1 when there is none
      }
      const server = [...children, first.child.pid!];
      for (const pid of server) process.kill(pid, "SIGKILL");
      await waitFor(
        async () =>
          server.filter((pid) => {
            try {
              process.kill(pid, 0);
              return true;
            } catch {
              return false;
            }
          }).length,
        (alive) => alive === 0,
      );
      const stuck = await firstSeed.count(`SELECT COUNT(*) AS n FROM "Job" WHERE id = ? AND state = 'running'`, id);
      expect(stuck).toBe(1);
      await firstSeed.close(); // SQLite: the restarted server's migration wants the file to itself
      // Same data directory (secret, SQLite file) and database: the anonymous owner cookie still works.
      second = await startServer({ provider, env: { ...env, DATA_DIR: first.dataDir }, databaseUrl: first.databaseUrl });
      const again = new Api(second.url);
      again.cookie = api.cookie;
      firstSeed = await openSeedDb(first);
      const job = await waitFor(
        () => again.json("GET", `/api/jobs/${id}`),
        (r) => r.body.job?.state === "done",
      );
      expect(job.body.job).toMatchObject({ state: "done", total: 20_000, done: 20_000 });
      expect(await firstSeed.count(`SELECT COUNT(*) AS n FROM "Capture" WHERE "endpointId" = ?`, ep.id)).toBe(0);
    } finally {
      await firstSeed.close();
      await second?.stop();
      await first.stop();
    }
  }, 90_000);
});
