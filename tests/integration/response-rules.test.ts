// Response rules on a shared origin (issue 14 item 4): on the default single-origin setup a rule
// cannot save origin-wide headers (422 naming the header), and a rule stored with one before this
// check is served without it. With a capture origin of its own (CAPTURE_PORT + CAPTURE_PUBLIC_URL
// on another host) they are saved, and sent only by the capture listener to requests for that host.
import Database from "better-sqlite3";
import pg from "pg";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, fetchFrom, providers, startServer, type TestServer } from "../helpers/server";

async function execDb(server: TestServer, sql: string, params: unknown[]): Promise<void> {
  if (server.provider === "sqlite") {
    const db = new Database(path.join(server.dataDir, "hookscope.db"));
    try {
      db.prepare(sql.replace(/\$\d+/g, "?")).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

const ORIGIN_WIDE: [string, string][] = [
  ["Clear-Site-Data", '"cache", "storage"'],
  ["Strict-Transport-Security", "max-age=31536000"],
  ["Location", "https://evil.example/phish"],
];

/** Sends a capture to `base` with the given Host header; the answer's headers, lowercased. */
async function capture(base: string, token: string, host?: string) {
  const res = await fetchFrom("127.0.0.1", `${base}/in/${token}`, { method: "POST", body: "{}", headers: host ? { host } : {} });
  await res.arrayBuffer();
  return res;
}

describe.each(await providers())("response rules (%s)", (provider) => {
  describe("one origin for the dashboard and captures (default)", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ provider });
    });
    afterAll(() => server?.stop());

    it.each(ORIGIN_WIDE)("saving %s is a 422 that names it and says a capture origin of its own would allow it", async (name, value) => {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      const res = await api.json("PATCH", `/api/endpoints/${ep.id}`, {
        response: {
          status: 302,
          headers: [
            ["X-Ok", "1"],
            [name, value],
          ],
        },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain(`response.headers.1.0: ${name} `);
      expect(res.body.error.message).toContain("origin of their own (CAPTURE_PORT");
      // Nothing was saved.
      expect((await api.json("GET", `/api/endpoints/${ep.id}`)).body.response.headers).toEqual([]);
    });

    it.each([
      ["Set-Cookie", "a=b"],
      ["Clear-Site-Data", '"cookies"'],
      ["NEL", '{"report_to":"a","max_age":9}'],
      ["X-Hookscope-Capture-Id", "cap_forged"],
    ])("saving %s is a 422 on any setup", async (name, value) => {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      const res = await api.json("PATCH", `/api/endpoints/${ep.id}`, { response: { headers: [[name, value]] } });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain(`${name} `);
      expect(res.body.error.message).not.toContain("CAPTURE_PORT");
    });

    it("saves and sends the allow-listed headers, and a same-origin Location", async () => {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      const headers = [
        ["Cache-Control", "no-store"],
        ["X-Custom", "1"],
        ["Access-Control-Allow-Origin", "*"],
        ["Location", "/in/elsewhere"],
      ];
      const saved = await api.json("PATCH", `/api/endpoints/${ep.id}`, { response: { status: 302, headers } });
      expect(saved.status).toBe(200);
      const res = await capture(server.url, ep.token);
      expect(res.status).toBe(302);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-custom")).toBe("1");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("location")).toBe("/in/elsewhere");
      expect(res.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    });

    it("a rule stored with refused headers is served without them; the rest of the rule applies", async () => {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      const stored = [["X-Kept", "yes"], ...ORIGIN_WIDE, ["Set-Cookie", "hs_owner=stolen"], ["NEL", "{}"], ["Report-To", "{}"]];
      // Seeded directly, as a rule saved before the allow-list would be (the API refuses it now).
      await execDb(server, `UPDATE "Endpoint" SET "responseHeaders" = $1, "responseStatus" = $2, "responseBody" = $3 WHERE "id" = $4`, [
        JSON.stringify(stored),
        302,
        "moved",
        ep.id,
      ]);
      const res = await capture(server.url, ep.token);
      expect(res.status).toBe(302);
      expect(res.headers.get("x-kept")).toBe("yes");
      for (const name of ["clear-site-data", "strict-transport-security", "location", "set-cookie", "nel", "report-to"]) {
        expect(res.headers.get(name), name).toBeNull();
      }
      expect(res.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    });
  });

  describe("a capture origin of its own (CAPTURE_PORT, CAPTURE_PUBLIC_URL on another host)", () => {
    let server: TestServer;
    let captureBase: string;
    beforeAll(async () => {
      server = await startServer({
        provider,
        env: { PUBLIC_URL: "http://dashboard.localhost", CAPTURE_PUBLIC_URL: "http://captures.localhost", CAPTURE_PORT: "0" },
      });
      let port: number | null = null;
      for (let i = 0; i < 100 && port === null; i++) {
        const m = /"capturePort":(\d+)/.exec(server.logs.join(""));
        if (m) port = Number(m[1]);
        else await new Promise((r) => setTimeout(r, 50));
      }
      captureBase = `http://127.0.0.1:${port}`;
    });
    afterAll(() => server?.stop());

    it("saves origin-wide headers and sends them only from the capture listener, to requests for the capture host", async () => {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      const saved = await api.json("PATCH", `/api/endpoints/${ep.id}`, {
        response: { status: 302, headers: [["X-Kept", "1"], ...ORIGIN_WIDE] },
      });
      expect(saved.status).toBe(200);

      const own = await capture(captureBase, ep.token, "captures.localhost");
      expect(own.status).toBe(302);
      expect(own.headers.get("clear-site-data")).toBe('"cache", "storage"');
      expect(own.headers.get("strict-transport-security")).toBe("max-age=31536000");
      expect(own.headers.get("location")).toBe("https://evil.example/phish");
      expect(own.headers.get("content-security-policy")).toBeNull();

      // The same capture URL path on the dashboard's listener: the shared origin's allow-list.
      const onDashboard = await capture(server.url, ep.token, "dashboard.localhost");
      // And the capture listener reached under the dashboard's host name.
      const wrongHost = await capture(captureBase, ep.token, "dashboard.localhost");
      for (const res of [onDashboard, wrongHost]) {
        expect(res.status).toBe(302);
        expect(res.headers.get("x-kept")).toBe("1");
        expect(res.headers.get("clear-site-data")).toBeNull();
        expect(res.headers.get("strict-transport-security")).toBeNull();
        expect(res.headers.get("location")).toBeNull();
        expect(res.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
      }
    });

    it("the capture listener serves no dashboard page, also to a request that expects 100-continue", async () => {
      for (const headers of [{}, { expect: "100-continue" }] as Record<string, string>[]) {
        const res = await fetchFrom("127.0.0.1", `${captureBase}/api/endpoints`, { method: "POST", body: "{}", headers });
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { message: string } }).error.message).toBe("Only capture URLs are served here.");
      }
    });

    it("still refuses the headers no origin may send", async () => {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      const res = await api.json("PATCH", `/api/endpoints/${ep.id}`, { response: { headers: [["Clear-Site-Data", '"cookies"']] } });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain('Clear-Site-Data with "cookies"');
    });
  });
});
