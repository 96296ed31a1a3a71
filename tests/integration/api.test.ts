// Endpoints and captures API: ownership by signed cookie, validation, response rules, paging.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

describe.each(await providers())("endpoints and captures API (%s)", (provider) => {
  let server: TestServer;
  let owner: Api;
  let stranger: Api;

  beforeAll(async () => {
    server = await startServer({ provider });
    owner = new Api(server.url);
    stranger = new Api(server.url);
  });
  afterAll(() => server?.stop());

  it("creates an endpoint with a 144-bit token, a capture URL and an httpOnly signed owner cookie", async () => {
    const res = await owner.request("POST", "/api/endpoints", { name: "Stripe test" });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^hs_owner=own_[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax/);
    const ep = await res.json();
    expect(ep).toMatchObject({ name: "Stripe test", alias: null });
    expect(ep.id).toMatch(/^ep_/);
    expect(ep.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(ep.url).toBe(`http://localhost:0/in/${ep.token}`.replace("localhost:0", new URL(ep.url).host));
    expect(new Date(ep.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lists, reads, renames and deletes only the caller's endpoints; others get 404", async () => {
    const ep = await owner.createEndpoint({ name: "mine" });
    const { body: list } = await owner.json("GET", "/api/endpoints");
    expect(list.endpoints.map((e: { id: string }) => e.id)).toContain(ep.id);

    await stranger.createEndpoint({ name: "theirs" });
    const { body: strangerList } = await stranger.json("GET", "/api/endpoints");
    expect(strangerList.endpoints.map((e: { id: string }) => e.id)).not.toContain(ep.id);
    for (const [method, path] of [
      ["GET", `/api/endpoints/${ep.id}`],
      ["PATCH", `/api/endpoints/${ep.id}`],
      ["DELETE", `/api/endpoints/${ep.id}`],
      ["GET", `/api/endpoints/${ep.id}/captures`],
      ["DELETE", `/api/endpoints/${ep.id}/captures`],
      ["GET", `/api/endpoints/${ep.id}/stream`],
    ] as const) {
      const res = await stranger.request(method, path, method === "PATCH" ? { name: "x" } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    }
    const anonymous = new Api(server.url);
    expect((await anonymous.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    const forged = new Api(server.url);
    forged.cookie = owner.cookie.replace(/\.[\w-]+$/, ".forged");
    expect((await forged.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);

    const { status, body: renamed } = await owner.json("PATCH", `/api/endpoints/${ep.id}`, { name: "renamed" });
    expect(status).toBe(200);
    expect(renamed.name).toBe("renamed");
    expect((await owner.request("DELETE", `/api/endpoints/${ep.id}`)).status).toBe(204);
    expect((await owner.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "x" })).status).toBe(404);
  });

  it("validates input with a clear error", async () => {
    const bad = await owner.json("POST", "/api/endpoints", { alias: "NO SPACES" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("invalid_request");
    expect(bad.body.error.message).toMatch(/alias/);
    const notJson = await owner.request("POST", "/api/endpoints", undefined, { "content-type": "application/json" });
    expect(notJson.status).toBe(201); // an empty body means "all defaults"
    const garbage = await fetch(`${server.url}/api/endpoints`, { method: "POST", body: "{nope", headers: { cookie: owner.cookie } });
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).error.code).toBe("invalid_json");
    const unknownField = await owner.json("POST", "/api/endpoints", { nmae: "typo" });
    expect(unknownField.status).toBe(422);
    const badRule = await owner.json("POST", "/api/endpoints", { response: { headers: [["Set-Cookie", "a=b"]] } });
    expect(badRule.status).toBe(422);
  });

  it("refuses cross-site state changes", async () => {
    const res = await owner.request("POST", "/api/endpoints", {}, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("cross_origin");
  });

  it("captures through a custom alias, which must be unique", async () => {
    const alias = `stripe-${Math.random().toString(36).slice(2, 8)}`;
    const ep = await owner.createEndpoint({ alias });
    expect(ep.alias).toBe(alias);
    const res = await fetch(`${server.url}/in/${alias}/events?x=1`, { method: "POST", body: "via alias" });
    expect(res.status).toBe(200);
    const [latest] = (await owner.captures(ep.id)).captures;
    expect(latest.path).toBe("/events");
    expect(latest.query).toBe("x=1");
    const dup = await stranger.json("POST", "/api/endpoints", { alias });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("alias_taken");
  });

  it("answers senders with the endpoint's response rule", async () => {
    const ep = await owner.createEndpoint({
      response: {
        status: 202,
        headers: [
          ["X-Reply", "yes"],
          ["Content-Type", "text/csv"],
        ],
        body: "a,b\n1,2\n",
        delayMs: 300,
      },
    });
    const started = Date.now();
    const res = await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "{}" });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.headers.get("x-reply")).toBe("yes");
    expect(res.headers.get("content-type")).toBe("text/csv");
    expect(await res.text()).toBe("a,b\n1,2\n");
    const [latest] = (await owner.captures(ep.id)).captures;
    expect(latest.response.status).toBe(202);

    const { body: updated } = await owner.json("PATCH", `/api/endpoints/${ep.id}`, {
      response: { status: 500, body: null, headers: [], delayMs: 0 },
    });
    expect(updated.response.status).toBe(500);
    const after = await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "{}" });
    expect(after.status).toBe(500);
    expect((await after.json()).captureId).toMatch(/^cap_/);
  });

  it("pages captures newest first with a before cursor, deletes one and clears all", async () => {
    const ep = await owner.createEndpoint();
    for (let i = 0; i < 7; i++) {
      expect((await fetch(`${server.url}/in/${ep.token}/n${i}`, { method: "POST", body: String(i) })).status).toBe(200);
    }
    const first = await owner.captures(ep.id, "?limit=3");
    expect(first.captures.map((c) => c.path)).toEqual(["/n6", "/n5", "/n4"]);
    const second = await owner.captures(ep.id, `?limit=3&before=${first.nextBefore}`);
    expect(second.captures.map((c) => c.path)).toEqual(["/n3", "/n2", "/n1"]);
    const third = await owner.captures(ep.id, `?limit=3&before=${second.nextBefore}`);
    expect(third.captures.map((c) => c.path)).toEqual(["/n0"]);
    expect(third.nextBefore).toBeNull();
    expect((await owner.json("GET", `/api/endpoints/${ep.id}/captures?limit=0`)).status).toBe(422);

    const victim = first.captures[0].id;
    expect((await stranger.request("DELETE", `/api/captures/${victim}`)).status).toBe(404);
    expect((await stranger.request("GET", `/api/captures/${victim}`)).status).toBe(404);
    expect((await stranger.request("GET", `/api/captures/${victim}/body`)).status).toBe(404);
    expect((await owner.request("DELETE", `/api/captures/${victim}`)).status).toBe(204);
    expect((await owner.request("GET", `/api/captures/${victim}`)).status).toBe(404);
    const { body: cleared } = await owner.json("DELETE", `/api/endpoints/${ep.id}/captures`);
    expect(cleared.deleted).toBe(6);
    expect((await owner.captures(ep.id)).captures).toEqual([]);
  });

  it("serves a bounded decoded copy with ?decode=1 while the stored bytes stay compressed", async () => {
    const { brotliCompressSync } = await import("node:zlib");
    const ep = await owner.createEndpoint();
    const json = JSON.stringify({ hello: "brotli" });
    const compressed = brotliCompressSync(json);
    const sent = await fetch(`${server.url}/in/${ep.token}`, {
      method: "POST",
      body: new Uint8Array(compressed),
      headers: { "content-type": "application/json", "content-encoding": "br" },
    });
    const { captureId } = await sent.json();
    expect(Buffer.compare(await owner.rawBody(captureId), compressed)).toBe(0);
    const decoded = await owner.request("GET", `/api/captures/${captureId}/body?decode=1`);
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get("x-hookscope-decode")).toBe("decoded");
    expect(decoded.headers.get("content-type")).toBe("application/octet-stream");
    expect(await decoded.text()).toBe(json);
    expect((await stranger.request("GET", `/api/captures/${captureId}/body?decode=1`)).status).toBe(404);

    const plain = await (await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "x" })).json();
    const refused = await owner.json("GET", `/api/captures/${plain.captureId}/body?decode=1`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("unsupported_encoding");
  });

  it("serves the raw body as an unsniffed attachment, never as the sender's content type", async () => {
    const ep = await owner.createEndpoint();
    const res = await fetch(`${server.url}/in/${ep.token}`, {
      method: "POST",
      body: "<script>document.title='pwned'</script>",
      headers: { "content-type": "text/html" },
    });
    const { captureId } = await res.json();
    const body = await owner.request("GET", `/api/captures/${captureId}/body`);
    expect(body.headers.get("content-type")).toBe("application/octet-stream");
    expect(body.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(body.headers.get("x-content-type-options")).toBe("nosniff");
    expect(body.headers.get("content-security-policy")).toMatch(/sandbox/);
    expect(await body.text()).toBe("<script>document.title='pwned'</script>");
  });
});

describe("configuration", () => {
  it("refuses to start on a bad value and names the variable", async () => {
    await expect(startServer({ env: { MAX_BODY_BYTES: "lots" } })).rejects.toThrow(/MAX_BODY_BYTES/);
    await expect(startServer({ env: { TRUST_PROXY: "maybe" } })).rejects.toThrow(/TRUST_PROXY/);
  });
});
