// Nothing dropped silently on the wire (issue 14 item 11), on both databases: a capture with 3,001
// headers (within MAX_HEADER_BYTES) keeps all of them; pipelined requests on one connection are
// each stored and answered, in order.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../helpers/raw-http";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

/** Writes `data` on one connection and collects what comes back for `ms`. */
function exchange(port: number, data: string, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let out = "";
    socket.on("data", (d) => {
      out += d.toString("latin1");
    });
    socket.on("error", () => {});
    socket.once("connect", () => socket.write(data, "latin1"));
    setTimeout(() => {
      socket.destroy();
      resolve(out);
    }, ms);
  });
}

describe.each(await providers())("wire limits (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let endpoint: { id: string; token: string };

  beforeAll(async () => {
    server = await startServer({ provider, env: { MAX_HEADER_BYTES: String(64 * 1024), MAX_BODY_BYTES: "1024" } });
    api = new Api(server.url);
    endpoint = await api.createEndpoint({ name: "wire" });
  }, 120_000);
  afterAll(() => server?.stop());

  it("a capture with 3,001 headers stores and shows all of them, in order", async () => {
    const names = Array.from({ length: 3001 }, (_, i) => `X-H-${i}`);
    const head = `POST /in/${endpoint.token}/many HTTP/1.1\r\nHost: x\r\n${names.map((n, i) => `${n}: v${i}\r\n`).join("")}Content-Length: 2\r\n\r\n`;
    const res = await rawRequest(server.port, head, "hi");
    expect(res.status).toBe(200);
    const id = JSON.parse(res.body.toString()).captureId as string;
    const { body: detail } = await api.json("GET", `/api/captures/${id}`);
    const stored = (detail.headers as [string, string][]).filter(([n]) => n.startsWith("X-H-"));
    expect(stored.length).toBe(3001);
    expect(stored.map(([n]) => n)).toEqual(names);
    expect(stored[3000]).toEqual(["X-H-3000", "v3000"]);
  });

  it("pipelined requests on one connection are each answered, in order, and each stored", async () => {
    const req = (i: number) => `POST /in/${endpoint.token}/pipe${i} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n${i}`;
    const out = await exchange(server.port, [1, 2, 3, 4, 5].map(req).join(""));
    expect(out.match(/HTTP\/1\.1 \d{3}/g)).toEqual(Array(5).fill("HTTP/1.1 200"));
    const ids = [...out.matchAll(/"captureId":"([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBe(5);
    const paths = [];
    for (const id of ids) paths.push((await api.json("GET", `/api/captures/${id}`)).body.path);
    expect(paths).toEqual(["/pipe1", "/pipe2", "/pipe3", "/pipe4", "/pipe5"]);
  });

  it("a 413 for a body read to its end leaves the connection usable: the request pipelined after it is answered too", async () => {
    const big = `POST /in/${endpoint.token}/big HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n${"b".repeat(4000)}`;
    const next = `POST /in/${endpoint.token}/after HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok`;
    const out = await exchange(server.port, big + next, 4000);
    expect(out.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 413", "HTTP/1.1 200"]);
    expect(out).toContain('"code":"body_too_large"');
    const id = /"captureId":"([^"]+)"/.exec(out)?.[1];
    expect((await api.json("GET", `/api/captures/${id}`)).body.path).toBe("/after");
  });

  it("Node's own refusals are JSON and in pipeline order: a good request, then a header block over the limit", async () => {
    const good = `POST /in/${endpoint.token}/first HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n1`;
    let huge = `POST /in/${endpoint.token}/huge HTTP/1.1\r\nHost: x\r\n`;
    for (let i = 0; huge.length < 80 * 1024; i++) huge += `X-Pad-${i}: ${"p".repeat(1000)}\r\n`;
    const out = await exchange(server.port, `${good}${huge}\r\n`, 3000);
    expect(out.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 200", "HTTP/1.1 431"]);
    const body = out.slice(out.lastIndexOf("\r\n\r\n") + 4);
    expect(JSON.parse(body)).toEqual({ error: { code: "headers_too_large", message: expect.stringMatching(/header block/) } });
  });

  it("bytes that are not HTTP get a 400 with a JSON error", async () => {
    const out = await exchange(server.port, "HELLO there\r\n\r\n", 1500);
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect(out).toContain("application/json");
    expect(JSON.parse(out.slice(out.indexOf("\r\n\r\n") + 4))).toMatchObject({ error: { code: "bad_request" } });
  });
});
