// Request ids: a sane incoming x-request-id is kept, anything else is replaced by a new UUID; the id
// comes back as X-Request-Id on app answers, capture answers and the door's own, and the door's log
// lines about the exchange carry it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, startServer, type TestServer } from "../helpers/server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startServer({ env: { MAX_BODY_BYTES: "100" } });
  token = (await new Api(server.url).createEndpoint()).token;
});
afterAll(async () => server?.stop());

const idOf = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${server.url}${path}`, init);
  await res.arrayBuffer();
  return res.headers.get("x-request-id");
};

describe("x-request-id", () => {
  it("keeps a sane incoming id on app, capture and door answers", async () => {
    const headers = { "x-request-id": "trace-4bf92f3577b34da6.a3ce929d:0e0e=" };
    expect(await idOf("/api/auth/csrf", { headers })).toBe(headers["x-request-id"]);
    expect(await idOf(`/in/${token}`, { method: "POST", body: "x", headers })).toBe(headers["x-request-id"]);
    expect(await idOf("/readyz", { headers })).toBe(headers["x-request-id"]);
    expect(await idOf("/in/no-such-token", { method: "POST", headers })).toBe(headers["x-request-id"]);
  });

  it("makes one when there is none, or the given one is not sane", async () => {
    expect(await idOf("/api/auth/csrf")).toMatch(UUID);
    expect(await idOf(`/in/${token}`, { method: "POST", body: "x" })).toMatch(UUID);
    expect(await idOf("/api/auth/csrf", { headers: { "x-request-id": "has spaces and <markup>" } })).toMatch(UUID);
    expect(await idOf("/api/auth/csrf", { headers: { "x-request-id": "a".repeat(129) } })).toMatch(UUID);
    const a = await idOf("/healthz");
    const b = await idOf("/healthz");
    expect(a).toMatch(UUID);
    expect(b).not.toBe(a);
  });

  it("is in the door's log line about the exchange", async () => {
    const id = "req-body-too-large-1";
    const res = await fetch(`${server.url}/in/${token}`, { method: "POST", body: "y".repeat(500), headers: { "x-request-id": id } });
    expect(res.status).toBe(413);
    expect(res.headers.get("x-request-id")).toBe(id);
    await expect
      .poll(() =>
        server.logs
          .join("")
          .split("\n")
          .filter((l) => l.includes("body too large"))
          .map((l) => (JSON.parse(l) as { requestId?: string }).requestId),
      )
      .toContain(id);
  });
});
