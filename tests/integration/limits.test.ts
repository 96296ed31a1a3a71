// Limits answered with their status and a message (issue 14 item 7), on both databases: endpoint
// creation per client address (429 rate_limited + Retry-After) and API JSON bodies over their cap
// (413 body_too_large, whether Content-Length says so up front or a chunked body streams past it).
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

const CREATE_LIMIT = 5;

describe.each(await providers())("limits (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let endpoint: { id: string; token: string };
  let captureId: string;

  beforeAll(async () => {
    server = await startServer({
      provider,
      env: { ENDPOINT_CREATE_LIMIT: String(CREATE_LIMIT), ENDPOINT_CREATE_WINDOW_S: "600", MAX_BODY_BYTES: "65536" },
    });
    api = new Api(server.url);
    endpoint = await api.createEndpoint({ name: "limits" });
    const res = await fetch(`${server.url}/in/${endpoint.token}`, { method: "POST", body: "hello" });
    captureId = ((await res.json()) as { captureId: string }).captureId;
  }, 120_000);
  afterAll(() => server?.stop());

  it("endpoint creation: the limit per address, then 429 rate_limited with Retry-After and a message; other addresses unaffected", async () => {
    const flood = new Api(server.url);
    flood.localAddress = "127.0.0.3";
    for (let i = 0; i < CREATE_LIMIT; i++) expect((await flood.json("POST", "/api/endpoints", { name: `e${i}` })).status).toBe(201);
    const refused = await flood.request("POST", "/api/endpoints", { name: "one too many" });
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(refused.status).toBe(429);
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(
      /Too many endpoints created from your address \(at most 5 per 10 minutes\)\. Try again in \d+ (seconds|minutes?)\./,
    );
    // One creation frees up every 600 s / 5 = 120 s.
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(100);
    expect(retryAfter).toBeLessThanOrEqual(120);
    // The limit is per address: another client address still creates.
    const other = new Api(server.url);
    other.localAddress = "127.0.0.4";
    expect((await other.json("POST", "/api/endpoints", { name: "elsewhere" })).status).toBe(201);
  });

  const tooLarge = async (res: Response) => {
    const body = (await res.json()) as { error: { code: string; message: string } };
    return { status: res.status, code: body.error.code, message: body.error.message };
  };
  const send = (method: string, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      body,
      headers: { "content-type": "application/json", cookie: api.cookie, ...headers },
      duplex: "half",
    } as RequestInit);

  it("a JSON body over API_MAX_JSON_BYTES (1 MiB) is a 413 body_too_large with a message, on several routes", async () => {
    const big = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) });
    for (const [method, path] of [
      ["POST", "/api/endpoints"],
      ["PATCH", `/api/endpoints/${endpoint.id}`],
      ["POST", "/api/auth/signup"],
      ["POST", `/api/endpoints/${endpoint.id}/share-links`],
    ] as const) {
      expect(await tooLarge(await send(method, path, big)), `${method} ${path}`).toEqual({
        status: 413,
        code: "body_too_large",
        message: "The request body is larger than this API accepts (1048576 bytes).",
      });
    }
  });

  it("a chunked body (no Content-Length) that streams past the cap is refused too", async () => {
    const chunk = new TextEncoder().encode(`"${"y".repeat(64 * 1024)}",`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ === 0) c.enqueue(new TextEncoder().encode('{"name":['));
        else if (sent < 64) c.enqueue(chunk);
        else c.close();
      },
    });
    const r = await tooLarge(await send("PATCH", `/api/endpoints/${endpoint.id}`, body));
    expect([r.status, r.code]).toEqual([413, "body_too_large"]);
  });

  it("replay and diff-request take a whole capture body as base64 (cap from MAX_BODY_BYTES), and no more", async () => {
    // MAX_BODY_BYTES 64 KiB → cap ⌈64 KiB × 4/3⌉ + 1 MiB = 1,135,958 bytes.
    const within = JSON.stringify({ target: { url: "http://127.0.0.1:9/" }, bodyBase64: Buffer.alloc(65536, 1).toString("base64") });
    const res = await send("POST", `/api/captures/${captureId}/diff-request`, within);
    expect(res.status).not.toBe(413);
    const over = JSON.stringify({ bodyBase64: "A".repeat(1_200_000) });
    for (const path of [`/api/captures/${captureId}/replay`, `/api/captures/${captureId}/diff-request`]) {
      expect(await tooLarge(await send("POST", path, over)), path).toEqual({
        status: 413,
        code: "body_too_large",
        message: "The request body is larger than this API accepts (1135958 bytes).",
      });
    }
  });
});

describe.each(await providers())("capture buffer bound (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let endpoint: { id: string; token: string };

  beforeAll(async () => {
    server = await startServer({ provider, env: { INGEST_MAX_BUFFER_BYTES: "100000", MAX_BODY_BYTES: "80000" } });
    api = new Api(server.url);
    endpoint = await api.createEndpoint({ name: "buffer bound" });
  }, 120_000);
  afterAll(() => server?.stop());

  const health = async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { bufferedBodyBytes: number }).bufferedBodyBytes;

  it("a capture that would pass INGEST_MAX_BUFFER_BYTES is a 503 server_busy with Retry-After, and is not stored", async () => {
    // The first upload holds 60,000 of its 70,000 bytes in memory, unfinished.
    const first = net.connect(server.port, "127.0.0.1");
    let firstAnswer = "";
    first.on("data", (d) => {
      firstAnswer += d.toString("latin1");
    });
    await new Promise((r) => first.once("connect", r));
    first.write(`POST /in/${endpoint.token}/held HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n`);
    first.write(Buffer.alloc(60_000, 0x61));
    await expect.poll(health, { timeout: 5000 }).toBe(60_000);
    // A second one of 50,000 bytes would hold 110,000: refused, with a message.
    const busy = await fetch(`${server.url}/in/${endpoint.token}/busy`, { method: "POST", body: Buffer.alloc(50_000, 0x62) });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(await busy.json()).toEqual({
      error: { code: "server_busy", message: "The server is holding as many request bodies as it may; retry shortly." },
    });
    // The first finishes and is stored; once committed its bytes are no longer counted.
    first.write(Buffer.alloc(10_000, 0x61));
    await expect.poll(() => firstAnswer, { timeout: 5000 }).toMatch(/^HTTP\/1\.1 200/);
    first.destroy();
    expect(await health()).toBe(0);
    const { captures } = await api.captures(endpoint.id);
    expect(captures.map((c: { path: string }) => c.path)).toEqual(["/held"]);
    // And a capture within the bound is taken again.
    expect((await fetch(`${server.url}/in/${endpoint.token}/after`, { method: "POST", body: Buffer.alloc(50_000, 0x63) })).status).toBe(
      200,
    );
  });
});
