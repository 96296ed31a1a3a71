// The egress client against local servers on 127.0.0.1 (allowed as ALLOWED_FORWARD_SUBNETS would):
// exact bytes and header lists on the wire, hop-by-hop headers dropped, timeouts, the response cap.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HeaderPairs } from "@/lib/model/capture";
import { buildReplayRequest, targetForCapture } from "@/lib/replay/build-request";
import { dropHopByHop, outgoingHeaders } from "@/lib/replay/headers";
import { sendRequest, sendUnguarded, type SendOptions } from "@/lib/replay/send";

interface Received {
  method: string;
  url: string;
  rawHeaders: HeaderPairs;
  body: Buffer;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const pairs = (raw: string[]): HeaderPairs =>
  Array.from({ length: raw.length / 2 }, (_, i) => [raw[2 * i] as string, raw[2 * i + 1] as string]);

let echo: http.Server;
let port = 0;
const received: Received[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  echo = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? "", url: req.url ?? "", rawHeaders: pairs(req.rawHeaders), body });
      const route = req.url ?? "";
      if (route.startsWith("/hang")) return; // never answers
      if (route.startsWith("/big")) {
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        res.end(Buffer.alloc(2 * 1024 * 1024, 0x61));
        return;
      }
      if (route.startsWith("/redirect-307")) return void res.writeHead(307, { Location: "/echo/after-307" }).end();
      if (route.startsWith("/redirect-303")) return void res.writeHead(303, { Location: "/echo/after-303" }).end();
      if (route.startsWith("/redirect-cross")) return void res.writeHead(308, { Location: `http://other.test:${port}/echo/cross` }).end();
      res.writeHead(201, [
        ["X-Echo-Sha256", sha256(body)],
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
        ["Content-Type", "text/plain"],
      ]);
      res.end(`got ${body.length}`);
    });
  });
  echo.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  port = (echo.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

const base = () => `http://127.0.0.1:${port}`;
const send = (o: Partial<SendOptions> & { url: string }) =>
  sendRequest({ method: "POST", headers: [], body: new Uint8Array(0), allowedSubnets: ["127.0.0.0/8"], ...o });
const last = () => received[received.length - 1] as Received;

/** What the target saw, minus the Connection: close Node adds to every one-shot request. */
const onWire = (r: Received) => r.rawHeaders.filter(([n, v]) => !(n === "Connection" && v === "close"));

describe("byte-exact replay to a local echo server", () => {
  const binary = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    randomBytes(64 * 1024),
    Buffer.from([0, 0, 0xff, 0xfe]),
  ]);
  const boundary = "----hookscope7MA4YWxkTrZu0gW";
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhé, ünïcode\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    randomBytes(10_000),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);

  it.each([
    {
      name: "binary",
      body: binary,
      headers: [
        ["Host", "hookscope.example"],
        ["Content-Type", "application/octet-stream"],
        ["X-Dup", "1"],
        ["x-dup", "2"],
        ["X-DUP", "3"],
        ["X-Latin1", "caf\u00e9 \u00ff"],
        ["Content-Length", String(binary.length)],
        ["stripe-signature", "t=1,v1=abc"],
      ] as HeaderPairs,
    },
    {
      name: "multipart",
      body: multipart,
      headers: [
        ["Content-Type", `multipart/form-data; boundary=${boundary}`],
        ["User-Agent", "Provider/1.0"],
        ["Host", "hookscope.example"],
        ["Accept", "*/*"],
        ["content-length", String(multipart.length)],
      ] as HeaderPairs,
    },
  ])("$name body: the target receives the same bytes and the same header list", async ({ body, headers }) => {
    const result = await send({ url: `${base()}/echo/hooks?x=1&y=%00`, headers, body: new Uint8Array(body) });
    expect(result.error).toBeNull();
    expect(result.response?.status).toBe(201);
    const got = last();
    expect(got.body.equals(body)).toBe(true);
    expect(sha256(got.body)).toBe(sha256(body));
    expect(result.request.bodySha256).toBe(sha256(body));
    expect(result.request.bodySize).toBe(body.length);
    // The list as captured, Host now naming the target, in the same position.
    const expected = headers.map(([n, v]): [string, string] => (n.toLowerCase() === "host" ? [n, `127.0.0.1:${port}`] : [n, v]));
    expect(onWire(got)).toEqual(expected);
    expect(result.request.headers).toEqual(expected);
    expect(got.url).toBe("/echo/hooks?x=1&y=%00");
  });

  it("a replay built from a stored capture sends its method, sub-path, query, headers and bytes", async () => {
    const capture = {
      method: "PUT",
      path: "/orders/%2F42/./x",
      query: "a=1&a=2&q=%20",
      headers: [
        ["X-Trace", "t1"],
        ["Content-Type", "application/json"],
        ["X-Trace", "t2"],
      ] as HeaderPairs,
      body: new Uint8Array(Buffer.from('{"b":1,"a":[1,2]}')),
    };
    const req = buildReplayRequest(capture, { url: targetForCapture(`${base()}/echo/in`, capture) });
    const result = await send(req);
    expect(result.error).toBeNull();
    const got = last();
    expect(got.method).toBe("PUT");
    expect(got.url).toBe("/echo/in/orders/%2F42/./x?a=1&a=2&q=%20");
    expect(result.request.url).toBe(`${base()}/echo/in/orders/%2F42/./x?a=1&a=2&q=%20`);
    expect(onWire(got)).toEqual([["Host", `127.0.0.1:${port}`], ...capture.headers, ["Content-Length", "17"]]);
    expect(got.body.toString()).toBe('{"b":1,"a":[1,2]}');
  });

  it("hop-by-hop headers and those named in Connection are dropped; the rest keep their order", async () => {
    const headers: HeaderPairs = [
      ["Connection", "keep-alive, X-Hop"],
      ["X-Keep", "1"],
      ["Keep-Alive", "timeout=5"],
      ["X-Hop", "dropped"],
      ["Transfer-Encoding", "chunked"],
      ["TE", "trailers"],
      ["Trailer", "X-Sum"],
      ["Upgrade", "websocket"],
      ["Proxy-Connection", "keep-alive"],
      ["Proxy-Authorization", "Basic c2VjcmV0"],
      ["X-Keep", "2"],
    ];
    const result = await send({ url: `${base()}/echo/hop`, headers, body: new Uint8Array(Buffer.from("abc")) });
    expect(result.error).toBeNull();
    expect(onWire(last())).toEqual([
      ["Host", `127.0.0.1:${port}`],
      ["X-Keep", "1"],
      ["X-Keep", "2"],
      ["Content-Length", "3"],
    ]);
    expect(last().body.toString()).toBe("abc");
  });

  it("the response keeps its raw header list and exact body", async () => {
    const result = await send({ url: `${base()}/echo/r`, body: new Uint8Array([1, 2, 3]) });
    const res = result.response;
    expect(res?.status).toBe(201);
    expect(res?.headers.filter(([n]) => n === "Set-Cookie")).toEqual([
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
    expect(new TextDecoder().decode(res?.body)).toBe("got 3");
    expect(res?.bodyTruncated).toBe(false);
    expect(res?.bodySize).toBe(5);
    expect(res?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("an empty POST carries Content-Length: 0 (not chunked); an empty GET carries no length", async () => {
    await send({ url: `${base()}/echo/empty` });
    expect(onWire(last())).toEqual([
      ["Host", `127.0.0.1:${port}`],
      ["Content-Length", "0"],
    ]);
    await send({ url: `${base()}/echo/empty`, method: "GET" });
    expect(onWire(last())).toEqual([["Host", `127.0.0.1:${port}`]]);
  });

  it("a header that cannot be sent is refused before connecting", async () => {
    const before = received.length;
    const result = await send({ url: `${base()}/echo/bad`, headers: [["X-Evil", "a\r\nInjected: 1"]] });
    expect(result.error?.code).toBe("invalid_request");
    const badName = await send({ url: `${base()}/echo/bad`, headers: [["Bad Name", "x"]] });
    expect(badName.error?.code).toBe("invalid_request");
    expect(received.length).toBe(before);
  });
});

describe("limits", () => {
  it("a hanging target hits the total timeout", async () => {
    const started = Date.now();
    const result = await send({ url: `${base()}/hang`, totalTimeoutMs: 300 });
    expect(result.error?.code).toBe("timeout");
    expect(result.response).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("the connect timeout covers a lookup that never answers", async () => {
    const result = await send({
      url: "http://slow-dns.test/",
      connectTimeoutMs: 200,
      totalTimeoutMs: 5000,
      resolver: () => new Promise(() => {}),
    });
    expect(result.error?.code).toBe("connect_timeout");
  });

  it("responses are capped at maxResponseBytes (1 MiB by default) and flagged", async () => {
    const result = await send({ url: `${base()}/big`, method: "GET" });
    expect(result.error).toBeNull();
    expect(result.response?.body.byteLength).toBe(1024 * 1024);
    expect(result.response?.bodyTruncated).toBe(true);
    expect(result.response?.bodySize).toBeGreaterThan(1024 * 1024);
    const small = await send({ url: `${base()}/big`, method: "GET", maxResponseBytes: 1000 });
    expect(small.response?.body.byteLength).toBe(1000);
    expect(small.response?.bodyTruncated).toBe(true);
  });

  it("a closed port is connection_refused", async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await send({ url: `http://127.0.0.1:${closedPort}/` });
    expect(result.error?.code).toBe("connection_refused");
  });

  it("an abort signal cancels the request", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await send({ url: `${base()}/hang`, signal: controller.signal });
    expect(result.error?.code).toBe("aborted");
  });
});

describe("redirects when enabled", () => {
  it("307 keeps the method and body; 303 turns into a GET without body headers", async () => {
    const body = new Uint8Array(Buffer.from("payload"));
    const headers: HeaderPairs = [
      ["Content-Type", "text/plain"],
      ["Authorization", "Bearer same-origin-keeps-it"],
    ];
    const r307 = await send({ url: `${base()}/redirect-307`, headers, body, followRedirects: true });
    expect(r307.response?.status).toBe(201);
    expect(r307.redirects).toEqual([{ status: 307, url: `${base()}/echo/after-307` }]);
    expect(last().method).toBe("POST");
    expect(last().body.toString()).toBe("payload");
    expect(onWire(last())).toContainEqual(["Authorization", "Bearer same-origin-keeps-it"]);

    const r303 = await send({ url: `${base()}/redirect-303`, headers, body, followRedirects: true });
    expect(r303.response?.status).toBe(201);
    expect(last().method).toBe("GET");
    expect(last().body.length).toBe(0);
    expect(onWire(last())).toEqual([
      ["Host", `127.0.0.1:${port}`],
      ["Authorization", "Bearer same-origin-keeps-it"],
    ]);
  });

  it("credentials (every one the masking treats as secret) do not follow a redirect to another origin", async () => {
    const headers: HeaderPairs = [
      ["Authorization", "Bearer secret"],
      ["Cookie", "s=1"],
      ["X-Api-Key", "k_live_123"],
      ["X-Gitlab-Token", "glpat-1"],
      ["X-Client-Secret", "cs"],
      ["X-Other", "kept"],
      ["X-Hub-Signature-256", "sha256=00"],
    ];
    const result = await send({
      url: `${base()}/redirect-cross`,
      headers,
      body: new Uint8Array([1]),
      followRedirects: true,
      resolver: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    expect(result.redirects).toEqual([{ status: 308, url: `http://other.test:${port}/echo/cross` }]);
    expect(last().url).toBe("/echo/cross");
    expect(onWire(last())).toEqual([
      ["Host", `other.test:${port}`],
      ["X-Other", "kept"],
      ["X-Hub-Signature-256", "sha256=00"],
      ["Content-Length", "1"],
    ]);
  });
});

// A throwaway self-signed certificate for "secure.test", made with openssl when it is installed.
function selfSigned(): { key: Buffer; cert: Buffer } | null {
  const dir = mkdtempSync(path.join(tmpdir(), "hs-tls-"));
  try {
    const r = spawnSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        `${dir}/k.pem`,
        "-out",
        `${dir}/c.pem`,
        "-days",
        "2",
        "-subj",
        "/CN=secure.test",
        "-addext",
        "subjectAltName=DNS:secure.test",
      ],
      { stdio: "ignore" },
    );
    if (r.status !== 0) return null;
    return { key: readFileSync(`${dir}/k.pem`), cert: readFileSync(`${dir}/c.pem`) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tlsPair = selfSigned();

describe("https", () => {
  it.skipIf(!tlsPair)("keeps the URL's name for SNI and the certificate check while connecting to the checked address", async () => {
    const names: string[] = [];
    const server = https.createServer(
      {
        ...(tlsPair as { key: Buffer; cert: Buffer }),
        SNICallback: (name, cb) => {
          names.push(name);
          cb(null);
        },
      },
      (_req, res) => res.end("tls"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const tlsPort = (server.address() as AddressInfo).port;
    try {
      const result = await send({ url: `https://secure.test:${tlsPort}/`, resolver: async () => [{ address: "127.0.0.1", family: 4 }] });
      // Self-signed: verification stays on and fails, after the handshake named secure.test.
      expect(result.error?.code).toBe("tls_failed");
      expect(names).toEqual(["secure.test"]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("sendUnguarded (relay CLI only)", () => {
  it("reaches loopback without any allowed subnet", async () => {
    const result = await sendUnguarded({
      url: `http://localhost:${port}/echo/cli`,
      method: "POST",
      headers: [["X-A", "1"]],
      body: new Uint8Array([9]),
    });
    expect(result.error).toBeNull();
    expect(onWire(last())).toEqual([
      ["Host", `localhost:${port}`],
      ["X-A", "1"],
      ["Content-Length", "1"],
    ]);
  });
});

describe("header helpers", () => {
  it("dropHopByHop is case-insensitive and reads every Connection header", () => {
    expect(
      dropHopByHop([
        ["connection", "X-A"],
        ["CONNECTION", " x-b ,close"],
        ["x-a", "1"],
        ["X-B", "2"],
        ["X-C", "3"],
        ["keep-alive", "1"],
        ["Close", "not a header name Connection meant"],
      ]),
    ).toEqual([["X-C", "3"]]);
  });

  it("outgoingHeaders replaces Host and Content-Length in place and keeps only the first of each", () => {
    const url = new URL("https://example.com/x");
    expect(
      outgoingHeaders(
        [
          ["A", "1"],
          ["host", "old"],
          ["Content-Length", "999"],
          ["Host", "dup"],
          ["content-length", "1"],
          ["B", "2"],
        ],
        url,
        "POST",
        4,
      ),
    ).toEqual([
      ["A", "1"],
      ["host", "example.com"],
      ["Content-Length", "4"],
      ["B", "2"],
    ]);
  });
});

describe("buildReplayRequest and targetForCapture", () => {
  const capture = { method: "POST", path: "/a", query: "x=1", headers: [["X", "1"]] as HeaderPairs, body: new Uint8Array([1, 2]) };

  it("defaults to the capture; edits replace method, headers and body", () => {
    expect(buildReplayRequest(capture, { url: "http://t/" })).toEqual({
      url: "http://t/",
      method: "POST",
      headers: [["X", "1"]],
      body: new Uint8Array([1, 2]),
    });
    const edited = buildReplayRequest(capture, { url: "http://t/", method: "put", headers: [["Y", "2"]], body: "héllo" });
    expect(edited.method).toBe("PUT");
    expect(edited.headers).toEqual([["Y", "2"]]);
    expect(Buffer.from(edited.body).toString()).toBe("héllo");
    expect(Array.from(buildReplayRequest(capture, { url: "http://t/", bodyBase64: "AP8=" }).body)).toEqual([0, 255]);
  });

  it.each([
    [{ body: "a", bodyBase64: "YQ==" }, "either body or bodyBase64"],
    [{ bodyBase64: "not base64!" }, "not valid base64"],
    [{ bodyBase64: "YQ" }, "not valid base64"],
    [{ method: "GE T" }, "not a valid HTTP method"],
  ])("refuses %j", (edit, message) => {
    expect(() => buildReplayRequest(capture, { url: "http://t/", ...edit })).toThrow(message);
  });

  it.each([
    ["http://localhost:3000/webhooks", { path: "/stripe", query: "a=1" }, "http://localhost:3000/webhooks/stripe?a=1"],
    ["http://localhost:3000/webhooks/", { path: "/stripe", query: "" }, "http://localhost:3000/webhooks/stripe"],
    ["http://localhost:3000", { path: "", query: "" }, "http://localhost:3000/"],
    ["http://localhost:3000", { path: "/x%2Fy/%2e%2e", query: "q=%00" }, "http://localhost:3000/x%2Fy/%2e%2e?q=%00"],
    ["http://localhost:3000/w?token=k", { path: "/a", query: "b=2" }, "http://localhost:3000/w/a?token=k&b=2"],
    ["https://[::1]:8443/h#frag", { path: "", query: "z" }, "https://[::1]:8443/h?z"],
  ])("targetForCapture(%s, %j) = %s", (b, c, expected) => {
    expect(targetForCapture(b, c)).toBe(expected);
  });
});
