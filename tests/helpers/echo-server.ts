// A local HTTP server on 127.0.0.1 that records every request exactly as it arrived (raw header
// pairs in wire order and case, body bytes) and answers through a replaceable handler.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Pairs = [string, string][];

export interface Received {
  at: number;
  method: string;
  url: string;
  headers: Pairs;
  body: Buffer;
  sha256: string;
}

export type Handler = (req: Received, res: http.ServerResponse, n: number) => void;

export const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export function pairs(raw: string[]): Pairs {
  const out: Pairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

export class EchoServer {
  received: Received[] = [];
  /** Default: 200 JSON describing what arrived. */
  handler: Handler = (r, res, n) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ n, method: r.method, url: r.url, sha256: r.sha256 }));
  };
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const r: Received = {
        at: Date.now(),
        method: req.method ?? "",
        url: req.url ?? "",
        headers: pairs(req.rawHeaders),
        body,
        sha256: sha256(body),
      };
      this.received.push(r);
      this.handler(r, res, this.received.length);
    });
  });
  private sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<this> {
    this.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<Received[]> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} requests, got ${this.received.length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.received;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * What a replay of `original` to `target` must put on the wire: the same pairs in the same order
 * and case, minus hop-by-hop headers (Connection and those it names, Keep-Alive, TE, Trailer,
 * Transfer-Encoding, Upgrade, Proxy-*), with Host's value replaced in place by the target's
 * host and Content-Length's by the body length; `drop` names more headers to leave out.
 */
export function expectedOnWire(original: Pairs, targetHost: string, bodyLength: number, drop: string[] = []): Pairs {
  const hop = new Set([
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "proxy-authenticate",
    "proxy-authorization",
  ]);
  for (const [n, v] of original) if (n.toLowerCase() === "connection") for (const t of v.split(",")) hop.add(t.trim().toLowerCase());
  const skip = new Set(drop.map((d) => d.toLowerCase()));
  return original
    .filter(([n]) => !hop.has(n.toLowerCase()) && !skip.has(n.toLowerCase()))
    .map(([n, v]): [string, string] => [
      n,
      n.toLowerCase() === "host" ? targetHost : n.toLowerCase() === "content-length" ? String(bodyLength) : v,
    ]);
}

/** A received header list without the Connection header Node's client adds itself. */
export const withoutConnection = (h: Pairs) => h.filter(([n]) => n.toLowerCase() !== "connection");
