// Hostile and malformed senders at the capture door: oversized or invalid framing is refused and
// stores nothing, odd-but-valid bodies are stored byte-exact, slow senders are cut off without
// starving anyone else, and the server keeps answering throughout.
import { createHash } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, startServer, type TestServer } from "../helpers/server";
import { rawExchange, rawRequest, type RawResponse } from "../helpers/raw-http";

const HEADERS_TIMEOUT_MS = 2000;
const REQUEST_TIMEOUT_MS = 3000;
const ENV = { HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) };
/** How late past its timeout the server may be in cutting off a slow sender. */
const CUTOFF_MARGIN_MS = 4000;

const sha256 = (b: Buffer | Uint8Array | string) => createHash("sha256").update(b).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timedHealth(server: TestServer) {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

async function timedCapture(server: TestServer, token: string, body: string) {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/in/${token}/normal`, { method: "POST", body, signal: AbortSignal.timeout(10_000) });
  const json = (await res.json()) as { captureId?: string };
  return { status: res.status, ms: performance.now() - t0, captureId: json.captureId };
}

/** Refused at the framing level: a 4xx from the HTTP parser, or the connection simply closed. */
function expectRefused(res: RawResponse, statuses: number[]) {
  if (res.status === 0) expect(res.closed).toBe(true);
  else expect(statuses).toContain(res.status);
}

/** A connection that writes `first`, then one `unit` every `everyMs`, and records when the server closes it. */
class SlowSender {
  readonly socket: net.Socket;
  readonly opened = performance.now();
  closedAfter: number | null = null;
  private readonly received: Buffer[] = [];
  private readonly timer: NodeJS.Timeout;
  readonly connected: Promise<void>;
  readonly closed: Promise<void>;

  constructor(port: number, first: string, unit: string, everyMs: number) {
    this.socket = net.connect(port, "127.0.0.1");
    this.socket.on("error", () => {});
    this.socket.on("data", (d) => this.received.push(d));
    this.connected = new Promise((r) => this.socket.once("connect", () => r()));
    this.closed = new Promise((r) =>
      this.socket.once("close", () => {
        this.closedAfter ??= performance.now() - this.opened;
        clearInterval(this.timer);
        r();
      }),
    );
    this.socket.write(first, "latin1");
    this.timer = setInterval(() => {
      if (this.socket.writable) this.socket.write(unit, "latin1");
    }, everyMs);
  }

  get response(): string {
    return Buffer.concat(this.received).toString("latin1");
  }

  get isOpen(): boolean {
    return this.closedAfter === null && !this.socket.destroyed;
  }

  destroy() {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}

/** Waits until every sender is closed or `deadline` (performance.now() time) passes. */
async function waitClosed(senders: SlowSender[], deadline: number) {
  await Promise.race([Promise.all(senders.map((s) => s.closed)), sleep(Math.max(0, deadline - performance.now()))]);
}

describe("malformed and hostile senders (sqlite)", () => {
  let server: TestServer;
  let api: Api;
  let endpoint: Awaited<ReturnType<Api["createEndpoint"]>>;

  beforeAll(async () => {
    server = await startServer({ provider: "sqlite", env: ENV });
    api = new Api(server.url);
    endpoint = await api.createEndpoint({ name: "malformed" });
  });
  afterAll(() => server?.stop());

  async function expectHealthy() {
    const h = await timedHealth(server);
    expect(h.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  }

  async function send(body: string | Buffer, contentType: string) {
    const res = await fetch(`${server.url}/in/${endpoint.token}/odd`, {
      method: "POST",
      body: body as BodyInit,
      headers: { "content-type": contentType },
    });
    expect(res.status).toBe(200);
    const { captureId } = (await res.json()) as { captureId: string };
    return captureId;
  }

  async function expectStoredExactly(id: string, sent: Buffer | string) {
    const expected = Buffer.isBuffer(sent) ? sent : Buffer.from(sent);
    const stored = await api.rawBody(id);
    expect(stored.length).toBe(expected.length);
    expect(sha256(stored)).toBe(sha256(expected));
    const { body: detail } = await api.json("GET", `/api/captures/${id}`);
    expect(detail.bodySha256).toBe(sha256(expected));
    expect(detail.bodySize).toBe(expected.length);
    return detail;
  }

  it("100 KB of headers → 431 or connection closed, nothing stored, server still healthy", async () => {
    const before = await api.allCaptureIds(endpoint.id);
    let head = `POST /in/${endpoint.token}/big-headers HTTP/1.1\r\nHost: x\r\n`;
    for (let i = 0; head.length < 100 * 1024; i++) head += `X-Pad-${i}: ${"p".repeat(1000)}\r\n`;
    head += "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n";
    expect(head.length).toBeGreaterThan(100 * 1024);

    const res = await rawRequest(server.port, head, "hi");
    expectRefused(res, [431]);
    expect(res.body.toString()).not.toContain("captureId");

    expect(await api.allCaptureIds(endpoint.id)).toEqual(before);
    await expectHealthy();
  });

  it("JSON nested 100,000 levels deep → 200, stored byte-exact", async () => {
    const body = "[".repeat(1e5) + "]".repeat(1e5);
    const id = await send(body, "application/json");
    await expectStoredExactly(id, body);
    // The listing (and whatever summarises captures) still works with it stored.
    expect((await api.captures(endpoint.id, "?limit=1")).captures[0].id).toBe(id);
    await expectHealthy();
  });

  it("10,000 form fields → 200, stored byte-exact", async () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `field${i}=value%20${i}&f${i}[]=${i % 7}`).join("&");
    const id = await send(body, "application/x-www-form-urlencoded");
    const detail = await expectStoredExactly(id, body);
    expect(detail.contentType).toBe("application/x-www-form-urlencoded");
    await expectHealthy();
  });

  it("chunked body without Content-Length, sent in separate chunks → 200, stored as the concatenated data", async () => {
    const pieces = [
      Buffer.from("hello "),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)), // every byte value, CR and LF included
      Buffer.from("x".repeat(5000)),
      Buffer.from("\r\n0\r\n\r\n"), // looks like framing, is data
      Buffer.from(" fin ☕", "utf8"),
    ];
    const head =
      `POST /in/${endpoint.token}/chunked HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n` +
      "Transfer-Encoding: chunked\r\n\r\n";
    const parts: Buffer[] = [Buffer.from(head, "latin1")];
    pieces.forEach((p, i) => {
      const ext = i === 1 ? ";name=value" : ""; // a chunk extension is framing too, not data
      parts.push(Buffer.concat([Buffer.from(`${p.length.toString(16)}${ext}\r\n`), p, Buffer.from("\r\n")]));
    });
    parts.push(Buffer.from("0\r\n\r\n"));

    const res = await rawExchange(server.port, parts, 50);
    expect(res.status).toBe(200);
    const id = JSON.parse(res.body.toString()).captureId as string;
    const detail = await expectStoredExactly(id, Buffer.concat(pieces));
    const names = (detail.headers as [string, string][]).map(([n]) => n.toLowerCase());
    expect(names).toContain("transfer-encoding");
    expect(names).not.toContain("content-length");
  });

  it("slowloris: 50 connections trickling headers do not slow down captures or /healthz, and store nothing", async () => {
    const before = await api.allCaptureIds(endpoint.id);
    const first = `POST /in/${endpoint.token}/slowloris HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Slow: `;
    const slow = Array.from({ length: 50 }, () => new SlowSender(server.port, first, "a", 500));
    const acked: string[] = [];
    try {
      await Promise.all(slow.map((s) => s.connected));
      const started = performance.now();
      // Only while the slow connections are certainly still open (younger than HEADERS_TIMEOUT_MS).
      for (let round = 0; performance.now() - started < HEADERS_TIMEOUT_MS - 700; round++) {
        const [health, ...caps] = await Promise.all([
          timedHealth(server),
          ...Array.from({ length: 3 }, (_, i) => timedCapture(server, endpoint.token, `normal ${round}.${i}`)),
        ]);
        expect(health.status).toBe(200);
        expect(health.ms).toBeLessThan(1000);
        for (const c of caps) {
          expect(c.status).toBe(200);
          expect(c.ms).toBeLessThan(1000);
          acked.push(c.captureId!);
        }
        expect(slow.every((s) => s.isOpen)).toBe(true);
        await sleep(200);
      }
      expect(acked.length).toBeGreaterThanOrEqual(6);
    } finally {
      for (const s of slow) s.destroy();
    }
    const after = await api.allCaptureIds(endpoint.id);
    expect(new Set(after)).toEqual(new Set([...before, ...acked]));
  });

  it("a slow body (Content-Length: 100, 1 byte/s) does not block other senders, and an abandoned one stores nothing", async () => {
    const before = await api.allCaptureIds(endpoint.id);
    const slow = new SlowSender(
      server.port,
      `POST /in/${endpoint.token}/slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n`,
      "b",
      1000,
    );
    const acked: string[] = [];
    try {
      await slow.connected;
      for (let i = 0; i < 3; i++) {
        await sleep(500);
        const c = await timedCapture(server, endpoint.token, `beside slow body ${i}`);
        expect(c.status).toBe(200);
        expect(c.ms).toBeLessThan(1000);
        acked.push(c.captureId!);
        const h = await timedHealth(server);
        expect(h.status).toBe(200);
        expect(h.ms).toBeLessThan(1000);
      }
      expect(slow.isOpen).toBe(true);
    } finally {
      slow.destroy();
    }
    await sleep(300);
    expect(new Set(await api.allCaptureIds(endpoint.id))).toEqual(new Set([...before, ...acked]));
  });

  const invalid: [string, string][] = [
    ["Content-Length and Transfer-Encoding together", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"],
    ["Transfer-Encoding and Content-Length together", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n"],
    ["two different Content-Length values", "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"],
    ["a duplicated Content-Length", "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"],
    ["a NUL byte in a header value", "X-Nul: a\0b\r\nContent-Length: 5\r\n\r\nhello"],
  ];
  it.each(invalid)("%s → 400 or connection closed, nothing stored, no crash", async (_name, rest) => {
    const before = await api.allCaptureIds(endpoint.id);
    const res = await rawRequest(server.port, `POST /in/${endpoint.token}/invalid HTTP/1.1\r\nHost: x\r\n${rest}`);
    expectRefused(res, [400]);
    expect(res.body.toString()).not.toContain("captureId");
    await sleep(100);
    expect(await api.allCaptureIds(endpoint.id)).toEqual(before);
    await expectHealthy();
  });
});

// Node enforces headersTimeout/requestTimeout from a periodic sweep (connectionsCheckingInterval,
// default 30 s); server.ts sets it to 1 s so slow senders are cut near their deadline. Each test
// starts its own server so the outcome does not depend on where other tests left the clock.
describe("slow senders are cut off by the server (sqlite)", () => {
  it(`slowloris connections are closed within HEADERS_TIMEOUT_MS + ${CUTOFF_MARGIN_MS} ms, storing nothing`, async () => {
    const server = await startServer({ provider: "sqlite", env: ENV });
    const slow: SlowSender[] = [];
    try {
      const api = new Api(server.url);
      const endpoint = await api.createEndpoint({ name: "slowloris" });
      const first = `POST /in/${endpoint.token}/slowloris HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Slow: `;
      for (let i = 0; i < 50; i++) slow.push(new SlowSender(server.port, first, "a", 500));
      await Promise.all(slow.map((s) => s.connected));
      await waitClosed(slow, slow[0]!.opened + HEADERS_TIMEOUT_MS + CUTOFF_MARGIN_MS);

      const open = slow.filter((s) => s.isOpen).length;
      expect(open, `${open} of 50 slow connections still open`).toBe(0);
      for (const s of slow) {
        expect(s.closedAfter!).toBeLessThan(HEADERS_TIMEOUT_MS + CUTOFF_MARGIN_MS);
        if (s.response) expect(s.response).toMatch(/^HTTP\/1\.1 408 /);
      }
      expect(await api.allCaptureIds(endpoint.id)).toEqual([]);
      expect((await timedHealth(server)).status).toBe(200);
    } finally {
      for (const s of slow) s.destroy();
      await server.stop();
    }
  });

  it(`a slow body (1 byte/s) gets 408 or is closed within REQUEST_TIMEOUT_MS + ${CUTOFF_MARGIN_MS} ms, storing nothing`, async () => {
    const server = await startServer({ provider: "sqlite", env: ENV });
    let slow: SlowSender | undefined;
    try {
      const api = new Api(server.url);
      const endpoint = await api.createEndpoint({ name: "slow-body" });
      slow = new SlowSender(
        server.port,
        `POST /in/${endpoint.token}/slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n`,
        "b",
        1000,
      );
      await slow.connected;
      await waitClosed([slow], slow.opened + REQUEST_TIMEOUT_MS + CUTOFF_MARGIN_MS);

      expect(slow.isOpen, "slow body connection still open").toBe(false);
      expect(slow.closedAfter!).toBeLessThan(REQUEST_TIMEOUT_MS + CUTOFF_MARGIN_MS);
      if (slow.response) expect(slow.response).toMatch(/^HTTP\/1\.1 408 /);
      expect(await api.allCaptureIds(endpoint.id)).toEqual([]);
      expect((await timedHealth(server)).status).toBe(200);
    } finally {
      slow?.destroy();
      await server.stop();
    }
  });
});
