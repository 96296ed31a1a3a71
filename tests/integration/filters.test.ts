// GET /api/endpoints/:id/captures filters: method (exact), path (substring), q (text in headers
// or body), combined with paging, on both providers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

describe.each(await providers())("capture list filters (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let endpoint: { id: string; token: string };

  const send = async (method: string, suffix: string, body?: Uint8Array | string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/in/${endpoint.token}${suffix}`, { method, body: body as BodyInit | undefined, headers });
    expect(res.status).toBe(200);
    return res.headers.get("x-hookscope-capture-id")!;
  };
  const paths = async (query: string) => (await api.captures(endpoint.id, query)).captures.map((c: { path: string }) => c.path);

  beforeAll(async () => {
    server = await startServer({ provider });
    api = new Api(server.url);
    endpoint = await api.createEndpoint();
    // Oldest first; the list answers newest first.
    await send("POST", "/stripe/events", JSON.stringify({ type: "invoice.paid", amount: 4200 }), { "content-type": "application/json" });
    await send("GET", "/health");
    await send("PUT", "/Upload/file_1", new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00]), { "content-type": "application/octet-stream" });
    await send("POST", "/github/push", '{"ref":"refs/heads/main"}', { "X-GitHub-Event": "push", "content-type": "application/json" });
    await send("DELETE", "/stripe/customers/cus_1", undefined, { "X-Trace": "Café-Ünïcode" });
    await send("POST", "/form", "name=Ada+Lovelace&note=100%25", { "content-type": "application/x-www-form-urlencoded" });
  });
  afterAll(() => server?.stop());

  it("filters by method exactly (any case in the query)", async () => {
    expect(await paths("?method=POST")).toEqual(["/form", "/github/push", "/stripe/events"]);
    expect(await paths("?method=delete")).toEqual(["/stripe/customers/cus_1"]);
    expect(await paths("?method=PATCH")).toEqual([]);
  });

  it("filters by path substring, case-insensitively, with LIKE wildcards taken literally", async () => {
    expect(await paths("?path=stripe")).toEqual(["/stripe/customers/cus_1", "/stripe/events"]);
    expect(await paths("?path=upload")).toEqual(["/Upload/file_1"]);
    expect(await paths("?path=_")).toEqual(["/stripe/customers/cus_1", "/Upload/file_1"]);
    expect(await paths("?path=%25")).toEqual([]);
  });

  it("q finds text in header names and values, case-insensitively", async () => {
    expect(await paths("?q=x-github-event")).toEqual(["/github/push"]);
    expect(await paths(`?q=${encodeURIComponent("github-event: PUSH")}`)).toEqual(["/github/push"]);
    // Header values are stored as latin1; the non-ASCII bytes are matched the same way.
    expect(await paths("?q=trace")).toEqual(["/stripe/customers/cus_1"]);
  });

  it("q finds text in the body, not in other captures' bytes", async () => {
    expect(await paths("?q=INVOICE.PAID")).toEqual(["/stripe/events"]);
    expect(await paths(`?q=${encodeURIComponent("100%25")}`)).toEqual(["/form"]);
    expect(await paths("?q=refs%2Fheads")).toEqual(["/github/push"]);
    expect(await paths("?q=nowhere-to-be-found")).toEqual([]);
  });

  it("combines method, path and q", async () => {
    expect(await paths("?method=POST&path=stripe&q=invoice")).toEqual(["/stripe/events"]);
    expect(await paths("?method=GET&q=invoice")).toEqual([]);
    expect(await paths("?method=POST&q=application%2Fjson")).toEqual(["/github/push", "/stripe/events"]);
  });

  it("blank params mean no filter; bad ones are readable 422s", async () => {
    expect(await paths("?method=&path=&q=")).toHaveLength(6);
    const bad = await api.json("GET", `/api/endpoints/${endpoint.id}/captures?method=${encodeURIComponent("PO ST")}`);
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: "invalid_request" });
    expect(bad.body.error.message).toMatch(/^method: /);
    const long = await api.json("GET", `/api/endpoints/${endpoint.id}/captures?q=${"x".repeat(2100)}`);
    expect(long.status).toBe(422);
    expect(long.body.error.message).toMatch(/^q: /);
  });

  it("pages filtered results with the before cursor, with and without q", async () => {
    const ep = await api.createEndpoint();
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${server.url}/in/${ep.token}/${i % 3 === 0 ? "match" : "other"}/${i}`, {
        method: "POST",
        body: i % 2 === 0 ? `even ${i}` : `odd ${i}`,
      });
      expect(res.status).toBe(200);
    }
    const collect = async (filter: string) => {
      const out: string[] = [];
      let before: number | null = null;
      for (let n = 0; n < 50; n++) {
        const page: { captures: { path: string }[]; nextBefore: number | null } = await api.captures(
          ep.id,
          `?limit=3&${filter}${before === null ? "" : `&before=${before}`}`,
        );
        expect(page.captures.length).toBeLessThanOrEqual(3);
        out.push(...page.captures.map((c) => c.path));
        if (page.nextBefore === null) return out;
        before = page.nextBefore;
      }
      throw new Error("did not reach the end");
    };
    const expected = (pred: (i: number) => boolean) =>
      Array.from({ length: 30 }, (_, i) => 29 - i)
        .filter(pred)
        .map((i) => `/${i % 3 === 0 ? "match" : "other"}/${i}`);
    expect(await collect("path=match")).toEqual(expected((i) => i % 3 === 0));
    expect(await collect("q=even")).toEqual(expected((i) => i % 2 === 0));
    expect(await collect("path=match&q=odd")).toEqual(expected((i) => i % 3 === 0 && i % 2 === 1));
  });

  it("only the owner can filter", async () => {
    const stranger = new Api(server.url);
    await stranger.createEndpoint();
    const res = await stranger.json("GET", `/api/endpoints/${endpoint.id}/captures?q=invoice`);
    expect(res.status).toBe(404);
  });
});
