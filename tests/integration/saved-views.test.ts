// Saved views (issue 16) on the real server and both databases: endpoint and workspace views are
// created, listed, renamed and deleted over HTTP; names are unique per scope; viewers list but may
// not change them (403), strangers and other scopes see 404; each view's url is the dashboard with
// ?q=; every change is audited; an invalid query is a 422 invalid_query with its position.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

type View = { id: string; name: string; query: string; endpointId: string | null; workspaceId: string | null; url: string };

describe.each(await providers())("saved views (%s)", (provider) => {
  let server: TestServer;
  let owner: Api;
  let viewer: Api;
  let stranger: Api;
  let ws = "";
  let ep = "";
  let otherEp = "";

  beforeAll(async () => {
    server = await startServer({ provider });
    owner = new Api(server.url);
    viewer = new Api(server.url);
    stranger = new Api(server.url);
    await owner.signUp(`views-owner-${provider}@example.test`);
    await viewer.signUp(`views-viewer-${provider}@example.test`);
    await stranger.signUp(`views-stranger-${provider}@example.test`);
    ws = (await owner.json("POST", "/api/workspaces", { name: "Views team" })).body.id;
    const inv = await owner.json("POST", `/api/workspaces/${ws}/invites`, { role: "viewer" });
    expect((await viewer.json("POST", "/api/invites/accept", { token: inv.body.token })).status).toBe(200);
    ep = (await owner.createEndpoint({ workspaceId: ws })).id;
    otherEp = (await owner.createEndpoint({ workspaceId: ws })).id;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("creates, lists, renames and deletes an endpoint view, audited, with the dashboard url", async () => {
    const created = await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "Failed pushes", query: "method:POST status:>=500" });
    expect(created.status).toBe(201);
    const view = created.body as View;
    expect(view).toMatchObject({ name: "Failed pushes", query: "method:POST status:>=500", endpointId: ep, workspaceId: ws });
    const url = new URL(view.url);
    expect(url.pathname).toBe(`/e/${ep}`);
    expect(url.searchParams.get("q")).toBe("method:POST status:>=500");

    expect((await owner.json("GET", `/api/endpoints/${ep}/views`)).body.views.map((v: View) => v.id)).toEqual([view.id]);
    // The viewer may read the list...
    expect((await viewer.json("GET", `/api/endpoints/${ep}/views`)).body.views).toHaveLength(1);
    // ...another endpoint's list does not hold it, and the view is not found through it.
    expect((await owner.json("GET", `/api/endpoints/${otherEp}/views`)).body.views).toEqual([]);
    expect((await owner.json("PATCH", `/api/endpoints/${otherEp}/views/${view.id}`, { name: "x" })).status).toBe(404);
    expect((await owner.json("DELETE", `/api/endpoints/${otherEp}/views/${view.id}`)).status).toBe(404);

    const renamed = await owner.json("PATCH", `/api/endpoints/${ep}/views/${view.id}`, { name: "5xx pushes", query: "status:5xx" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: view.id, name: "5xx pushes", query: "status:5xx" });
    expect(new URL(renamed.body.url).searchParams.get("q")).toBe("status:5xx");

    expect((await owner.request("DELETE", `/api/endpoints/${ep}/views/${view.id}`)).status).toBe(204);
    expect((await owner.json("GET", `/api/endpoints/${ep}/views`)).body.views).toEqual([]);
    expect((await owner.json("DELETE", `/api/endpoints/${ep}/views/${view.id}`)).status).toBe(404);

    const events = (await owner.json("GET", `/api/workspaces/${ws}/audit?limit=100`)).body.events as {
      action: string;
      target: { id: string } | null;
      detail: Record<string, unknown>;
    }[];
    const mine = events.filter((e) => e.target?.id === view.id).map((e) => [e.action, e.detail.name]);
    expect(mine.reverse()).toEqual([
      ["view.create", "Failed pushes"],
      ["view.update", "5xx pushes"],
      ["view.delete", "5xx pushes"],
    ]);
    // The query text (which may quote a secret someone searched for) is not copied into the log.
    expect(JSON.stringify(events)).not.toContain("status:5xx");
  });

  it("names are unique per scope, not across scopes", async () => {
    expect((await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "Dup", query: "a" })).status).toBe(201);
    const again = await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "Dup", query: "b" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("view_name_taken");
    expect((await owner.json("POST", `/api/endpoints/${otherEp}/views`, { name: "Dup", query: "b" })).status).toBe(201);
    expect((await owner.json("POST", `/api/workspaces/${ws}/views`, { name: "Dup", query: "b" })).status).toBe(201);
    const second = await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "Other", query: "c" });
    const clash = await owner.json("PATCH", `/api/endpoints/${ep}/views/${second.body.id}`, { name: "Dup" });
    expect(clash.status).toBe(409);
  });

  it("viewers may not change views (403); strangers and anonymous callers get 404", async () => {
    const res = await viewer.json("POST", `/api/endpoints/${ep}/views`, { name: "Mine", query: "x" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("insufficient_role");
    const view = (await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "Team", query: "x" })).body as View;
    expect((await viewer.json("PATCH", `/api/endpoints/${ep}/views/${view.id}`, { name: "y" })).status).toBe(403);
    expect((await viewer.json("DELETE", `/api/endpoints/${ep}/views/${view.id}`)).status).toBe(403);
    expect((await viewer.json("POST", `/api/workspaces/${ws}/views`, { name: "Mine", query: "x" })).status).toBe(403);

    const anonymous = new Api(server.url);
    for (const api of [stranger, anonymous]) {
      expect((await api.json("GET", `/api/endpoints/${ep}/views`)).status).toBe(404);
      expect((await api.json("POST", `/api/endpoints/${ep}/views`, { name: "Mine", query: "x" })).status).toBe(404);
      expect((await api.json("PATCH", `/api/endpoints/${ep}/views/${view.id}`, { name: "y" })).status).toBe(404);
      expect((await api.json("DELETE", `/api/endpoints/${ep}/views/${view.id}`)).status).toBe(404);
      expect((await api.json("GET", `/api/workspaces/${ws}/views`)).status).toBe(404);
    }
    expect((await owner.json("GET", `/api/endpoints/${ep}/views`)).body.views.map((v: View) => v.name)).toContain("Team");
  });

  it("workspace views: listed by members of the workspace, url on the workspace page", async () => {
    const created = await owner.json("POST", `/api/workspaces/${ws}/views`, { name: "All Stripe", query: "provider:stripe" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ endpointId: null, workspaceId: ws });
    expect(new URL(created.body.url).pathname).toBe(`/w/${ws}`);
    const listed = (await viewer.json("GET", `/api/workspaces/${ws}/views`)).body.views as View[];
    expect(listed.map((v) => v.name)).toContain("All Stripe");
    // A workspace view is not an endpoint view, and is not reachable through an endpoint.
    expect((await owner.json("GET", `/api/endpoints/${ep}/views`)).body.views.map((v: View) => v.id)).not.toContain(created.body.id);
    expect((await owner.json("DELETE", `/api/endpoints/${ep}/views/${created.body.id}`)).status).toBe(404);
    expect((await owner.request("DELETE", `/api/workspaces/${ws}/views/${created.body.id}`)).status).toBe(204);
  });

  it("GET /fields: header names, query names and JSON paths of the newest captures, never their values", async () => {
    const made = await owner.createEndpoint({ workspaceId: ws });
    const body = JSON.stringify({ user: { id: 42, email: "secret-value@example.test" }, items: [{ sku: "A1" }], "odd key": 1 });
    const sent = await fetch(`${server.url}/in/${made.token}/hook?page=2&Filter=x`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-GitHub-Event": "push", authorization: "Bearer s3cr3t-token" },
      body,
    });
    expect(sent.status).toBe(200);
    // A gzip-encoded body is not decoded for sampling (bounded work): it adds no paths.
    await fetch(`${server.url}/in/${made.token}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: "x",
    });
    for (const api of [owner, viewer]) {
      const res = await api.json("GET", `/api/endpoints/${made.id}/fields`);
      expect(res.status).toBe(200);
      expect(res.body.headerNames).toEqual(expect.arrayContaining(["x-github-event", "authorization", "content-type"]));
      expect(res.body.queryNames).toEqual(["Filter", "page"]);
      expect(res.body.jsonPaths).toEqual(["json.items", "json.items[].sku", "json.user", "json.user.email", "json.user.id"]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain("secret-value");
      expect(text).not.toContain("s3cr3t");
    }
    expect((await stranger.json("GET", `/api/endpoints/${made.id}/fields`)).status).toBe(404);
  });

  it("an invalid query is a 422 invalid_query naming the position and the nearest fields", async () => {
    const res = await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "Typo", query: "method:POST heder.x:1" });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "invalid_query", position: 12, end: 19 });
    expect(res.body.error.suggestions).toContain("header.<name>");
    const view = (await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "Fine", query: "method:POST" })).body as View;
    const patch = await owner.json("PATCH", `/api/endpoints/${ep}/views/${view.id}`, { query: "status:>" });
    expect(patch.status).toBe(422);
    expect(patch.body.error.code).toBe("invalid_query");
    expect((await owner.json("GET", `/api/endpoints/${ep}/views`)).body.views.find((v: View) => v.id === view.id).query).toBe(
      "method:POST",
    );
  });

  it("refuses a bad body with 422 invalid_request", async () => {
    const empty = await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "  ", query: "x" });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe("invalid_request");
    expect((await owner.json("POST", `/api/endpoints/${ep}/views`, { name: "long", query: "x".repeat(2001) })).status).toBe(422);
    expect((await owner.json("PATCH", `/api/endpoints/${ep}/views/nope`, {})).status).toBe(422);
  });
});
