// The capture door records exactly what was sent: bytes, header list, method, path and query.
import { createHash } from "node:crypto";
import net from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";
import { rawExchange, rawRequest } from "../helpers/raw-http";

const sha256 = (b: Buffer | Uint8Array) => createHash("sha256").update(b).digest("hex");

describe.each(await providers())("capture fidelity (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let endpoint: Awaited<ReturnType<Api["createEndpoint"]>>;

  beforeAll(async () => {
    server = await startServer({ provider });
    api = new Api(server.url);
    endpoint = await api.createEndpoint({ name: "fidelity" });
  });
  afterAll(() => server?.stop());

  async function send(body: Buffer, headers: Record<string, string> = {}, method = "POST", suffix = "") {
    const res = await fetch(`${server.url}/in/${endpoint.token}${suffix}`, { method, body: new Uint8Array(body), headers });
    expect(res.status).toBe(200);
    const { captureId } = (await res.json()) as { captureId: string };
    return captureId;
  }

  async function expectRoundTrip(body: Buffer, headers: Record<string, string> = {}) {
    const id = await send(body, headers);
    const stored = await api.rawBody(id);
    expect(stored.length).toBe(body.length);
    expect(sha256(stored)).toBe(sha256(body));
    const { body: detail } = await api.json("GET", `/api/captures/${id}`);
    expect(detail.bodySha256).toBe(sha256(body));
    expect(detail.bodySize).toBe(body.length);
    return detail;
  }

  it("keeps every byte value 0x00-0xFF", async () => {
    await expectRoundTrip(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), { "content-type": "application/octet-stream" });
  });

  it("keeps a gzip body compressed, exactly as sent", async () => {
    const gz = gzipSync(Buffer.from(JSON.stringify({ hello: "world", n: [1, 2, 3] })));
    const detail = await expectRoundTrip(gz, { "content-type": "application/json", "content-encoding": "gzip" });
    expect(detail.headers).toContainEqual(["content-encoding", "gzip"]);
  });

  it("keeps invalid UTF-8", async () => {
    await expectRoundTrip(Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0xc3, 0x28, 0x7d]), { "content-type": "application/json; charset=utf-8" });
  });

  it("keeps a multipart upload with a binary file", async () => {
    const file = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));
    const form = new FormData();
    form.append("note", "héllo");
    form.append("upload", new Blob([file], { type: "application/octet-stream" }), "data.bin");
    const req = new Request("http://x/", { method: "POST", body: form });
    const body = Buffer.from(await req.arrayBuffer());
    const detail = await expectRoundTrip(body, { "content-type": req.headers.get("content-type")! });
    expect(detail.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(body.includes(file)).toBe(true);
  });

  it("keeps a body of MAX_BODY_BYTES - 1 (10 MiB - 1)", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 - 1);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    await expectRoundTrip(big, { "content-type": "application/octet-stream" });
  });

  it("keeps header order, case and duplicates, and the raw path and query", async () => {
    const head =
      `POST /in/${endpoint.token}/hooks/%7Bid%7D/x?b=2&a=1&a=%00&bad=%ZZ HTTP/1.1\r\n` +
      "Host: 127.0.0.1\r\nX-Dup: one\r\nx-MiXeD: Case\r\nX-Dup: two\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n";
    const res = await rawRequest(server.port, head, "abc");
    expect(res.status).toBe(200);
    const id = JSON.parse(res.body.toString()).captureId as string;
    const { body: d } = await api.json("GET", `/api/captures/${id}`);
    expect(d.headers).toEqual([
      ["Host", "127.0.0.1"],
      ["X-Dup", "one"],
      ["x-MiXeD", "Case"],
      ["X-Dup", "two"],
      ["Content-Type", "text/plain"],
      ["Content-Length", "3"],
    ]);
    expect(d.path).toBe("/hooks/%7Bid%7D/x");
    expect(d.query).toBe("b=2&a=1&a=%00&bad=%ZZ");
    expect(d.httpVersion).toBe("1.1");
    expect(d.method).toBe("POST");
    expect(d.remoteAddr).toBe("127.0.0.1");
    expect(typeof d.receivedAt).toBe("number");
    expect(Math.abs(d.receivedAt - Date.now())).toBeLessThan(60_000);
  });

  it("keeps non-ASCII header bytes", async () => {
    const head = Buffer.concat([
      Buffer.from(`POST /in/${endpoint.token} HTTP/1.1\r\nHost: x\r\nX-Name: `),
      Buffer.from("café ☕", "utf8"),
      Buffer.from("\r\nContent-Length: 0\r\n\r\n"),
    ]);
    const res = await rawRequest(server.port, head.toString("latin1"));
    expect(res.status).toBe(200);
    const id = JSON.parse(res.body.toString()).captureId as string;
    const { body: d } = await api.json("GET", `/api/captures/${id}`);
    const value = (d.headers as [string, string][]).find(([n]) => n === "X-Name")![1];
    expect(Buffer.from(value, "latin1").toString("utf8")).toBe("café ☕");
  });

  it.each(["PROPFIND", "PURGE", "REPORT", "OPTIONS", "PUT", "PATCH", "DELETE", "GET"])("captures %s", async (method) => {
    const res = await rawRequest(server.port, `${method} /in/${endpoint.token}/m HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n`, "ok");
    expect(res.status).toBe(200);
    const id = JSON.parse(res.body.toString()).captureId as string;
    const { body: d } = await api.json("GET", `/api/captures/${id}`);
    expect(d.method).toBe(method);
    expect((await api.rawBody(id)).toString()).toBe("ok");
  });

  it("captures HEAD and answers without a body", async () => {
    const before = (await api.captures(endpoint.id, "?limit=1")).captures[0].seq as number;
    const res = await fetch(`${server.url}/in/${endpoint.token}/head-check`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const latest = (await api.captures(endpoint.id, "?limit=1")).captures[0];
    expect(latest.seq).toBeGreaterThan(before);
    expect(latest.method).toBe("HEAD");
    expect(latest.path).toBe("/head-check");
  });

  it("answers an unknown token with 404 JSON and stores nothing", async () => {
    const before = await api.captures(endpoint.id, "?limit=500");
    const res = await fetch(`${server.url}/in/not-a-real-token-000000/x`, { method: "POST", body: "x" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect((await res.json()).error.code).toBe("unknown_endpoint");
    const after = await api.captures(endpoint.id, "?limit=500");
    expect(after.captures.length).toBe(before.captures.length);
  });

  it("refuses a body over MAX_BODY_BYTES with 413 and records the attempt", async () => {
    const tooBig = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const res = await fetch(`${server.url}/in/${endpoint.token}/big`, { method: "POST", body: tooBig });
    expect(res.status).toBe(413);
    const err = (await res.json()).error;
    expect(err.code).toBe("body_too_large");
    const latest = (await api.captures(endpoint.id, "?limit=1")).captures[0];
    expect(latest.path).toBe("/big");
    expect(latest.rejected).toBe("body_too_large");
    expect(latest.response.status).toBe(413);
    expect(latest.bodySize).toBe(tooBig.length);
    expect((await api.rawBody(latest.id)).length).toBe(0);
  });

  it("keeps reading an oversized upload that pauses, then answers 413 once it ends (never a reset mid-upload)", async () => {
    // 11 MiB of a declared 12 MiB, a pause shorter than the drain's idle limit, then the rest.
    // The attempt is recorded at once; answering and closing then would cut the upload, and the
    // last write would fail with EPIPE or ECONNRESET instead of the sender reading the 413.
    const total = 12 * 1024 * 1024;
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    let received = "";
    let closedEarly = false;
    let writeError: Error | null = null;
    let uploaded = false;
    socket.on("data", (d: Buffer) => (received += d.toString("latin1")));
    socket.on("error", (err) => (writeError = err));
    socket.on("close", () => (closedEarly = !uploaded));
    const write = (buf: Buffer) =>
      new Promise<void>((resolve) =>
        socket.write(buf, (err) => {
          if (err) writeError = err;
          resolve();
        }),
      );
    await write(Buffer.from(`POST /in/${endpoint.token}/paused-big HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`));
    await write(Buffer.alloc(11 * 1024 * 1024, 0x63));
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toBe(""); // still reading: nothing answered yet
    await write(Buffer.alloc(total - 11 * 1024 * 1024, 0x63));
    uploaded = true;
    await vi.waitFor(() => expect(received).toMatch(/^HTTP\/1\.1 413 /), { timeout: 5000 });
    expect(writeError).toBeNull();
    expect(closedEarly).toBe(false);
    expect(received).toContain("body_too_large");
    socket.destroy();
    const latest = (await api.captures(endpoint.id, "?limit=1")).captures[0];
    expect(latest.path).toBe("/paused-big");
    expect(latest.rejected).toBe("body_too_large");
    expect(latest.bodySize).toBe(total);
  });

  it("answers Expect: 100-continue with 100 for a normal body, and 413 without 100 for an oversized one", async () => {
    const ok = await rawExchange(
      server.port,
      [
        `POST /in/${endpoint.token}/expect-ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n`,
        "hello",
      ],
      200,
    );
    expect(ok.headers).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(ok.body.toString()).toMatch(/HTTP\/1\.1 200 OK[\s\S]*"captureId"/);

    const big = await rawRequest(
      server.port,
      `POST /in/${endpoint.token}/expect-big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${10 * 1024 * 1024 + 1}\r\n\r\n`,
    );
    expect(big.status).toBe(413);
    expect(big.headers).not.toMatch(/100 Continue/);
    const latest = (await api.captures(endpoint.id, "?limit=1")).captures[0];
    expect(latest.path).toBe("/expect-big");
    expect(latest.rejected).toBe("body_too_large");
  });

  it("refuses a chunked body over the limit (no Content-Length) while streaming", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x62);
    const chunks = Array.from({ length: 11 }, () => chunk);
    const res = await fetch(`${server.url}/in/${endpoint.token}/chunked-big`, {
      method: "POST",
      body: new ReadableStream({
        pull(c) {
          const next = chunks.shift();
          if (next) c.enqueue(next);
          else c.close();
        },
      }),
      duplex: "half",
    } as RequestInit).catch((e: Error) => e);
    // The server answers 413 as soon as the limit is crossed; the sender may see the answer or a
    // reset if it keeps writing. Either way the attempt is recorded and nothing else is stored.
    if (!(res instanceof Error)) expect(res.status).toBe(413);
    const latest = (await api.captures(endpoint.id, "?limit=1")).captures[0];
    expect(latest.path).toBe("/chunked-big");
    expect(latest.rejected).toBe("body_too_large");
  });
});
