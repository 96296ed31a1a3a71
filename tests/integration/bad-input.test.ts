// Bad input to the dashboard's API gets a clear 4xx, never a 500, on both databases: a NUL character in a JSON
// string, a query parameter or a path parameter (PostgreSQL's text columns refuse U+0000: it was a 500 there), an
// Origin header that is not a URL, and callback URLs next-auth cannot parse (in the query, a form or JSON body,
// or its callback-url cookie), and a JSON body next-auth cannot parse. What is fine still works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

const NUL = "\u0000";

describe.each(await providers())("bad input is a 4xx (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let endpoint: { id: string; token: string };

  beforeAll(async () => {
    server = await startServer({ provider });
    api = new Api(server.url);
    await api.signUp(`bad-input-${provider}@example.test`);
    endpoint = await api.createEndpoint({ name: "bad input" });
  }, 120_000);
  afterAll(() => server?.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers: { cookie: api.cookie, ...headers }, redirect: "manual" });
  const noServerErrors = () => expect(server.logs.join("")).not.toMatch(/22021|invalid byte sequence|route failed|Invalid URL/);

  it("a NUL in a JSON string is a 422 that names the field (endpoint name, response body, share label, sign-up name)", async () => {
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/endpoints", { name: `a${NUL}b` }, "name"],
      ["PATCH", `/api/endpoints/${endpoint.id}`, { name: `a${NUL}b` }, "name"],
      [
        "PATCH",
        `/api/endpoints/${endpoint.id}`,
        { response: { status: 200, headers: [], body: `bin${NUL}ary`, delayMs: 0 } },
        "response.body",
      ],
      ["POST", `/api/endpoints/${endpoint.id}/share-links`, { label: `l${NUL}` }, "label"],
      ["POST", "/api/auth/signup", { email: "nul@example.test", password: "correct horse battery", name: `n${NUL}` }, "name"],
      ["POST", "/api/endpoints", { name: "ok", [`k${NUL}`]: 1 }, '"k\\u0000"'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await api.json(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(422);
      expect(r.body.error).toEqual({
        code: "invalid_request",
        message: `${field}: contains a NUL character (U+0000), which cannot be stored as text.`,
      });
    }
    // Nothing was stored; the same requests without the NUL work.
    expect((await api.json("GET", `/api/endpoints/${endpoint.id}`)).body.name).toBe("bad input");
    expect(
      (await api.json("PATCH", `/api/endpoints/${endpoint.id}`, { response: { status: 200, headers: [], body: "binary", delayMs: 0 } }))
        .status,
    ).toBe(200);
    noServerErrors();
  });

  it("a NUL in a query parameter is a 422 naming it; in a path parameter a 404; in a page address a 400", async () => {
    for (const q of ["path", "q", "method"]) {
      const res = await get(`/api/endpoints/${endpoint.id}/captures?${q}=a%00`);
      expect(res.status, q).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        `query parameter "${q}": contains a NUL character (U+0000), which cannot be stored as text.`,
      );
    }
    for (const path of ["/api/captures/cap%00x", `/api/endpoints/ep%00x`, "/api/captures/cap%00x/body"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "not_found", message: "No such resource." } });
    }
    const page = await get("/e/ep%00x");
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("NUL");
    expect((await get(`/api/endpoints/${endpoint.id}/captures?path=%2Fa`)).status).toBe(200);
    noServerErrors();
  });

  it("an Origin header that is not a URL is a cross-origin refusal (403), not a crash", async () => {
    for (const origin of ["not a url", "http://[", "://", "http://%"]) {
      const res = await fetch(`${server.url}/api/endpoints`, {
        method: "POST",
        headers: { cookie: api.cookie, origin, "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status, origin).toBe(403);
      expect(await res.json()).toEqual({ error: { code: "cross_origin", message: "Cross-site requests cannot change data." } });
    }
    const same = await fetch(`${server.url}/api/endpoints`, {
      method: "POST",
      headers: { cookie: api.cookie, origin: server.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(same.status).toBe(201);
    noServerErrors();
  });

  describe("next-auth callback URLs", () => {
    const BAD = [
      "%",
      "%zz",
      "http://[",
      "http://%",
      "http://a b",
      "http://127.0.0.1:99999",
      "javascript:alert(1)",
      `/x${NUL}`,
      "\t/x",
      "x".repeat(3000),
      "/".padEnd(3000, "a"),
    ];

    async function csrf(): Promise<{ csrfToken: string; cookie: string }> {
      const res = await fetch(`${server.url}/api/auth/csrf`);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      return {
        csrfToken,
        cookie: res.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; "),
      };
    }
    const form = (path: string, cookie: string, fields: Record<string, string>) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });

    it.each(BAD.map((v) => [JSON.stringify(v).slice(0, 40), v] as const))(
      "%s is a 400 in the query, a form body and the callback-url cookie",
      async (_label, value) => {
        const query = await fetch(`${server.url}/api/auth/signin?${new URLSearchParams({ callbackUrl: value })}`, { redirect: "manual" });
        expect(query.status).toBe(400);
        expect(((await query.json()) as { error: { code: string } }).error.code).toBe("invalid_callback_url");

        const { csrfToken, cookie } = await csrf();
        for (const path of ["/api/auth/callback/credentials", "/api/auth/signout", "/api/auth/signin/credentials"]) {
          const res = await form(path, cookie, {
            csrfToken,
            email: "someone@example.test",
            password: "x",
            callbackUrl: value,
            json: "true",
          });
          expect(res.status, path).toBeGreaterThanOrEqual(400);
          expect(res.status, path).toBeLessThan(500);
          const body = (await res.json()) as { error: { code: string; message: string } };
          expect(["invalid_callback_url", "invalid_request"], path).toContain(body.error.code);
        }

        if (!value.includes(NUL) && !value.startsWith("\t") && value.length < 2048) {
          const tossed = await fetch(`${server.url}/api/auth/session`, {
            headers: { cookie: `next-auth.callback-url=${encodeURIComponent(value)}` },
          });
          expect(tossed.status).toBe(400);
          expect(((await tossed.json()) as { error: { message: string } }).error.message).toMatch(
            /next-auth\.callback-url cookie .* it has been cleared/,
          );
          expect(tossed.headers.getSetCookie().some((c) => /^next-auth\.callback-url=;.*Max-Age=0/.test(c))).toBe(true);
        }
      },
    );

    it("a JSON body next-auth cannot parse is a 400; valid callback URLs still work", async () => {
      const { csrfToken, cookie } = await csrf();
      const broken = await fetch(`${server.url}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: "{nope",
      });
      expect(broken.status).toBe(400);
      expect(((await broken.json()) as { error: { code: string } }).error.code).toBe("invalid_json");

      for (const ok of ["/e/abc?x=1", "/%", `${server.url}/w/x`, "https://elsewhere.example/", "//elsewhere.example/x"]) {
        const res = await form("/api/auth/signout", cookie, { csrfToken, callbackUrl: ok, json: "true" });
        expect(res.status, ok).toBe(200);
        const { url } = (await res.json()) as { url: string };
        // next-auth keeps its own rule (passed through untouched): paths kept, other origins sent to its base URL.
        expect(url, ok).toMatch(/^http:\/\/localhost:3000(\/|$)/);
      }
      const good = new Api(server.url);
      await good.signUp(`callback-ok-${provider}@example.test`);
      expect((await good.json("GET", "/api/me")).status).toBe(200);
      noServerErrors();
    });
  });
});
