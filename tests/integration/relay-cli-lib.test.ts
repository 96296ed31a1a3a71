// The relay CLI against a stand-in Hookscope API (same SSE framing as lib/realtime/sse.ts, same
// capture detail and raw body routes) and a local target: captures made before start are
// delivered after --since, then live ones, in order and byte-exact; a dropped stream resumes
// with Last-Event-ID without losing or repeating a capture. The full-server end-to-end lives
// with the routes; this pins the library and the bin wiring.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CaptureDetail, HeaderPairs } from "@/lib/model/capture";
import { ListenError } from "@/lib/relay/access";
import type { Delivery } from "@/lib/relay/delivery";
import { parseEndpointRef } from "@/lib/relay/endpoint-ref";
import { runListen } from "@/lib/relay/listen";

const TOKEN = "hs_test_token";
const ENDPOINT = "ep_relay";
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

interface StoredCapture {
  detail: CaptureDetail;
  body: Buffer;
}

interface Got {
  at: number;
  method: string;
  url: string;
  headers: HeaderPairs;
  body: Buffer;
}

/** A stand-in for the Hookscope API: captures in memory, an SSE stream per client. */
class FakeHookscope {
  captures: StoredCapture[] = [];
  streams = new Set<http.ServerResponse>();
  streamRequests: { lastEventId: string | null; auth: string | undefined }[] = [];
  server = http.createServer((req, res) => this.handle(req, res));
  sockets = new Set<Socket>();
  port = 0;

  async start() {
    this.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  add(method: string, subpath: string, query: string, headers: HeaderPairs, body: Buffer, rejected: string | null = null): CaptureDetail {
    const seq = this.captures.length + 1;
    const detail: CaptureDetail = {
      id: `cap_${seq}`,
      endpointId: ENDPOINT,
      seq,
      method,
      path: subpath,
      query,
      contentType: null,
      bodySize: body.length,
      remoteAddr: "203.0.113.7",
      receivedAt: Date.now(),
      rejected,
      response: { status: 200 },
      httpVersion: "1.1",
      headers,
      bodySha256: sha256(body),
      durationMs: 1,
    };
    this.captures.push({ detail, body });
    const { httpVersion: _v, headers: _h, bodySha256: _s, durationMs: _d, ...summary } = detail;
    for (const res of this.streams) res.write(`id: ${seq}\nevent: capture\ndata: ${JSON.stringify(summary)}\n\n`);
    return detail;
  }

  /** Cuts every open stream, as a proxy or a restart would. */
  dropStreams() {
    for (const res of this.streams) res.socket?.destroy();
    this.streams.clear();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":{"code":"not_found","message":"No such resource."}}');
      return;
    }
    if (url.pathname === "/api/endpoints") {
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ endpoints: [{ id: ENDPOINT, token: "tok123", alias: "my-hooks" }] }));
      return;
    }
    if (url.pathname === `/api/endpoints/${ENDPOINT}/stream`) {
      const last = (req.headers["last-event-id"] as string | undefined) ?? url.searchParams.get("lastEventId");
      this.streamRequests.push({ lastEventId: last, auth: req.headers.authorization });
      res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform" });
      res.write("retry: 2000\n: connected\n\n");
      let upTo = this.captures.length;
      if (last !== null && last !== undefined) {
        upTo = Number(last);
        for (const c of this.captures.slice(upTo)) {
          const { httpVersion: _v, headers: _h, bodySha256: _s, durationMs: _d, ...summary } = c.detail;
          res.write(`id: ${c.detail.seq}\nevent: capture\ndata: ${JSON.stringify(summary)}\n\n`);
        }
        upTo = this.captures.length;
      }
      res.write(`event: ready\ndata: ${JSON.stringify({ lastSeq: upTo })}\n\n`);
      this.streams.add(res);
      res.on("close", () => this.streams.delete(res));
      return;
    }
    const m = /^\/api\/captures\/([^/]+)(\/body)?$/.exec(url.pathname);
    const hit = m && this.captures.find((c) => c.detail.id === m[1]);
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    if (m[2]) {
      // The relay must ask for the unredacted bytes.
      if (url.searchParams.get("reveal") !== "1") return void res.writeHead(200).end("REDACTED");
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(hit.body.length) }).end(hit.body);
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(hit.detail));
  }
}

/** The developer's local server: records exactly what arrives. */
class LocalTarget {
  got: Got[] = [];
  delayFirstMs = 0;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = req.rawHeaders;
      const headers: HeaderPairs = [];
      for (let i = 0; i < raw.length; i += 2) headers.push([raw[i] as string, raw[i + 1] as string]);
      this.got.push({ at: Date.now(), method: req.method ?? "", url: req.url ?? "", headers, body: Buffer.concat(chunks) });
      const wait = this.got.length === 1 ? this.delayFirstMs : 0;
      setTimeout(() => res.writeHead(this.got.length % 2 ? 200 : 202).end("ok"), wait);
    });
  });
  port = 0;
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const fastReconnect = { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 20, factor: 2, maxDelayMs: 200, jitter: "none" as const };

let hookscope: FakeHookscope;
let target: LocalTarget;

beforeEach(async () => {
  hookscope = new FakeHookscope();
  target = new LocalTarget();
  await hookscope.start();
  await target.start();
});

afterEach(async () => {
  await hookscope.stop();
  await target.stop();
});

const onWire = (g: Got) => g.headers.filter(([n, v]) => !(n === "Connection" && v === "close"));
const expectedHeaders = (headers: HeaderPairs) =>
  headers
    .filter(([n]) => n.toLowerCase() !== "connection")
    .map(([n, v]): [string, string] => (n.toLowerCase() === "host" ? [n, `127.0.0.1:${target.port}`] : [n, v]));

describe("runListen", () => {
  it("delivers captures after --since, then live ones, byte-exact and in order, resuming after a drop", async () => {
    const binary = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a]), randomBytes(50_000)]);
    const headersA: HeaderPairs = [
      ["Host", "hookscope.example"],
      ["Content-Type", "application/json"],
      ["X-Dup", "1"],
      ["x-dup", "2"],
      ["X-Latin1", "caf\u00e9"],
      ["Content-Length", "11"],
      ["Connection", "keep-alive"],
    ];
    hookscope.add("POST", "/old", "", headersA, Buffer.from('{"seq":1}xx')); // before --since: not delivered
    hookscope.add("POST", "/stripe", "a=1&b=%00", headersA, Buffer.from('{"n":2,"x":1}'));
    hookscope.add(
      "PUT",
      "/bin/%2e%2e",
      "",
      [
        ["Content-Type", "application/octet-stream"],
        ["Content-Length", String(binary.length)],
      ],
      binary,
    );

    const deliveries: Delivery[] = [];
    const lines: string[] = [];
    const cursors: (number | null)[] = [];
    const controller = new AbortController();
    const running = runListen(
      {
        server: hookscope.url,
        endpointId: ENDPOINT,
        to: `http://127.0.0.1:${target.port}/webhooks`,
        token: TOKEN,
        since: 1,
        reconnect: fastReconnect,
      },
      { signal: controller.signal, log: (l) => lines.push(l), onDelivery: (d) => deliveries.push(d), onConnect: (c) => cursors.push(c) },
    );

    await waitFor(() => target.got.length === 2);
    const [second, third] = target.got as [Got, Got];
    expect(second.method).toBe("POST");
    expect(second.url).toBe("/webhooks/stripe?a=1&b=%00");
    expect(second.body.toString()).toBe('{"n":2,"x":1}');
    expect(onWire(second)).toEqual(
      expectedHeaders(headersA).map(([n, v]): [string, string] => (n === "Content-Length" ? [n, "13"] : [n, v])),
    );
    expect(third.method).toBe("PUT");
    expect(third.url).toBe("/webhooks/bin/%2e%2e");
    expect(sha256(third.body)).toBe(sha256(binary));

    // Live.
    hookscope.add("DELETE", "", "live=1", [["X-Live", "yes"]], Buffer.alloc(0));
    await waitFor(() => target.got.length === 3);
    expect(target.got[2]).toMatchObject({ method: "DELETE", url: "/webhooks?live=1" });

    // The stream drops; a capture arrives while the relay is disconnected; it resumes from #4.
    hookscope.dropStreams();
    hookscope.add("PATCH", "/during-gap", "", [["X-Gap", "1"]], Buffer.from("gap"));
    await waitFor(() => target.got.length === 4);
    expect(target.got[3]).toMatchObject({ method: "PATCH", url: "/webhooks/during-gap" });
    expect(hookscope.streamRequests.map((r) => r.lastEventId)).toEqual(["1", "4"]);
    expect(cursors).toEqual([1, 4]);

    hookscope.add("POST", "/after", "", [], Buffer.from("after"));
    await waitFor(() => deliveries.length === 5); // the target records a request before it answers
    expect(target.got.map((g) => g.url)).toEqual([
      "/webhooks/stripe?a=1&b=%00",
      "/webhooks/bin/%2e%2e",
      "/webhooks?live=1",
      "/webhooks/during-gap",
      "/webhooks/after",
    ]);
    expect(deliveries.map((d) => d.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(deliveries.every((d) => d.error === null && !d.bodyMismatch)).toBe(true);
    expect(lines.some((l) => /^\d\d:\d\d:\d\d\.\d{3} #2 POST \/webhooks\/stripe\?a=1&b=%00 → 200 \d+ ms$/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("disconnected"))).toBe(true);

    controller.abort();
    await running;
  });

  it("without --since it starts at the newest capture; deliveries stay in order behind a slow one", async () => {
    hookscope.add("POST", "/before", "", [], Buffer.from("x"));
    target.delayFirstMs = 300;
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runListen(
      { server: hookscope.url, endpointId: ENDPOINT, to: `http://127.0.0.1:${target.port}`, token: TOKEN, reconnect: fastReconnect },
      { signal: controller.signal, log: (l) => lines.push(l) },
    );
    await waitFor(() => hookscope.streams.size === 1);
    for (let i = 1; i <= 5; i++) hookscope.add("POST", `/n${i}`, "", [], Buffer.from(String(i)));
    await waitFor(() => target.got.length === 5);
    expect(target.got.map((g) => g.url)).toEqual(["/n1", "/n2", "/n3", "/n4", "/n5"]);
    // One at a time: the second was sent only after the slow first one was answered.
    expect((target.got[1] as Got).at - (target.got[0] as Got).at).toBeGreaterThanOrEqual(250);
    expect(hookscope.streamRequests[0]?.lastEventId).toBeNull();
    controller.abort();
    await running;
  });

  it("reports a delivery error (target down) and goes on with the next capture", async () => {
    const controller = new AbortController();
    const deliveries: Delivery[] = [];
    const running = runListen(
      {
        server: hookscope.url,
        endpointId: ENDPOINT,
        to: `http://127.0.0.1:${target.port}`,
        token: TOKEN,
        since: 0,
        reconnect: fastReconnect,
      },
      { signal: controller.signal, log: () => {}, onDelivery: (d) => deliveries.push(d) },
    );
    await waitFor(() => hookscope.streams.size === 1);
    await target.stop();
    hookscope.add("POST", "/down", "", [], Buffer.from("1"));
    await waitFor(() => deliveries.length === 1);
    expect(deliveries[0]?.error?.code).toBe("connection_refused");
    await target.start().catch(() => {});
    controller.abort();
    await running;
  });

  it("skips captures refused at the capture door (no body stored)", async () => {
    hookscope.add("POST", "/too-big", "", [], Buffer.alloc(0), "body_too_large");
    hookscope.add("POST", "/fine", "", [], Buffer.from("ok"));
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runListen(
      {
        server: hookscope.url,
        endpointId: ENDPOINT,
        to: `http://127.0.0.1:${target.port}`,
        token: TOKEN,
        since: 0,
        reconnect: fastReconnect,
      },
      { signal: controller.signal, log: (l) => lines.push(l) },
    );
    await waitFor(() => target.got.length === 1);
    expect(target.got[0]?.url).toBe("/fine");
    expect(lines.some((l) => l.includes("#1 POST /too-big skipped: refused at capture (body_too_large)"))).toBe(true);
    controller.abort();
    await running;
  });

  it("a capture path that climbs out of the --to base path (.., %2e%2e, backslashes) is not delivered, with a line saying why", async () => {
    hookscope.add("POST", "/../admin", "", [], Buffer.from("a"));
    hookscope.add("POST", "/%2e%2e/%2e%2e/etc", "", [], Buffer.from("b"));
    hookscope.add("POST", "/x\\..\\..\\admin", "", [], Buffer.from("c"));
    hookscope.add("POST", "/stripe/../github", "q=1", [], Buffer.from("d"));
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runListen(
      {
        server: hookscope.url,
        endpointId: ENDPOINT,
        to: `http://127.0.0.1:${target.port}/webhooks`,
        token: TOKEN,
        since: 0,
        reconnect: fastReconnect,
      },
      { signal: controller.signal, log: (l) => lines.push(l) },
    );
    await waitFor(() => target.got.length === 1);
    await waitFor(() => lines.filter((l) => l.includes("skipped")).length === 3);
    // Only the one that stays under /webhooks arrives, exactly as captured (the target resolves it to /webhooks/github).
    expect(target.got.map((g) => g.url)).toEqual(["/webhooks/stripe/../github?q=1"]);
    for (const [seq, path] of [
      [1, "/../admin"],
      [2, "/%2e%2e/%2e%2e/etc"],
      [3, "/x\\..\\..\\admin"],
    ] as const) {
      expect(
        lines.find(
          (l) =>
            l.includes(`#${seq} POST ${path} skipped: its path climbs out of the base path`) &&
            l.includes(`--to http://127.0.0.1:${target.port}/webhooks; not delivered`),
        ),
        `#${seq}`,
      ).toBeTruthy();
    }
    controller.abort();
    await running;
  });

  it("a refused token is fatal, not retried for ever", async () => {
    const controller = new AbortController();
    const err = await runListen(
      { server: hookscope.url, endpointId: ENDPOINT, to: `http://127.0.0.1:${target.port}`, token: "wrong", reconnect: fastReconnect },
      { signal: controller.signal, log: () => {} },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ListenError);
  });
});

describe("endpoint references", () => {
  it.each([
    ["https://hooks.example/e/ep_abc", undefined, { server: "https://hooks.example", endpointId: "ep_abc" }],
    ["https://hooks.example/e/ep_abc/c/cap_1", undefined, { server: "https://hooks.example", endpointId: "ep_abc" }],
    ["http://localhost:3000/api/endpoints/ep_abc/stream", undefined, { server: "http://localhost:3000", endpointId: "ep_abc" }],
    ["https://capture.example/in/tok123/sub?x=1", "https://app.example/", { server: "https://app.example", captureKey: "tok123" }],
    ["ep_abc", undefined, { server: "http://localhost:3000", endpointId: "ep_abc" }],
    ["ep_abc", "https://h.example", { server: "https://h.example", endpointId: "ep_abc" }],
  ])("%s (--server %s)", (ref, server, expected) => {
    expect(parseEndpointRef(ref, server, {})).toEqual(expected);
  });

  it("HOOKSCOPE_SERVER applies to a bare id", () => {
    expect(parseEndpointRef("ep_x", undefined, { HOOKSCOPE_SERVER: "https://h.example/" }).server).toBe("https://h.example");
  });

  it.each(["https://hooks.example/", "https://hooks.example/settings", "a/b", ""])("%j is refused", (ref) => {
    expect(() => parseEndpointRef(ref, undefined, {})).toThrow(ListenError);
  });
});

describe("bin/hookscope.mjs", () => {
  const bin = path.resolve(import.meta.dirname, "../../bin/hookscope.mjs");

  function run(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, out: () => out, err: () => err };
  }

  it("listen <capture URL> --since 0 resolves the endpoint, relays, prints a line per delivery and stops on SIGINT", async () => {
    hookscope.add(
      "POST",
      "/one",
      "k=v",
      [
        ["X-One", "1"],
        ["Content-Type", "text/plain"],
      ],
      Buffer.from("one"),
    );
    const p = run(["listen", `${hookscope.url}/in/tok123`, "--to", `http://127.0.0.1:${target.port}/local`, "--since", "0"], {
      HOOKSCOPE_TOKEN: TOKEN,
    });
    await waitFor(() => target.got.length === 1, 30_000);
    hookscope.add("PUT", "", "", [["X-Two", "2"]], Buffer.from([0, 255]));
    await waitFor(() => target.got.length === 2);
    await waitFor(() => p.out().includes("#2 PUT /local → 202"));
    p.child.kill("SIGINT");
    expect(await p.exited).toBe(0);
    expect(target.got.map((g) => [g.method, g.url, g.body.toString("hex")])).toEqual([
      ["POST", "/local/one?k=v", Buffer.from("one").toString("hex")],
      ["PUT", "/local", "00ff"],
    ]);
    expect(onWire(target.got[0] as Got)).toEqual([
      ["Host", `127.0.0.1:${target.port}`],
      ["X-One", "1"],
      ["Content-Type", "text/plain"],
      ["Content-Length", "3"],
    ]);
    expect(p.out()).toMatch(/#1 POST \/local\/one\?k=v → 200 \d+ ms/);
  }, 60_000);

  it("usage errors exit 2 with a message; a refused token exits 1", async () => {
    const noTo = run(["listen", "ep_x"]);
    expect(await noTo.exited).toBe(2);
    expect(noTo.err()).toContain("--to is required");
    const bad = run(["listen", `${hookscope.url}/e/${ENDPOINT}`, "--to", "http://127.0.0.1:1/", "--token", "nope"]);
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toContain(`No endpoint ${ENDPOINT}`);
  }, 60_000);
});
