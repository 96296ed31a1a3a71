// Anonymous endpoints expire after ANON_ENDPOINT_TTL: the capture URL answers 404, the API no
// longer shows them, and the sweeper deletes them with their captures.
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, startServer, type TestServer } from "../helpers/server";

describe("anonymous endpoint expiry", () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer({ env: { ANON_ENDPOINT_TTL: "3s" } });
    api = new Api(server.url);
  });
  afterAll(() => server?.stop());

  it("captures until the TTL, then 404 everywhere, and the rows are deleted", async () => {
    const ep = await api.createEndpoint();
    const expiresAt = Date.parse((await api.json("GET", `/api/endpoints/${ep.id}`)).body.expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(3000);
    const sent = await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "before expiry" });
    expect(sent.status).toBe(200);
    const { captureId } = await sent.json();

    await new Promise((r) => setTimeout(r, expiresAt - Date.now() + 2500)); // past expiry and the 2 s cache
    expect((await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "after" })).status).toBe(404);
    expect((await api.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    expect((await api.request("GET", `/api/captures/${captureId}`)).status).toBe(404);
    expect((await api.json("GET", "/api/endpoints")).body.endpoints.map((e: { id: string }) => e.id)).not.toContain(ep.id);

    // The sweeper runs every TTL/2 (at least every second): the rows go, captures included.
    const db = new Database(path.join(server.dataDir, "hookscope.db"), { readonly: true });
    try {
      const deadline = Date.now() + 5000;
      const count = () =>
        (
          db
            .prepare('SELECT (SELECT COUNT(*) FROM "Endpoint" WHERE id = ?) + (SELECT COUNT(*) FROM "Capture" WHERE "endpointId" = ?) AS n')
            .get(ep.id, ep.id) as { n: number }
        ).n;
      while (count() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(count()).toBe(0);
    } finally {
      db.close();
    }
  });
});
