// The door thread's pass-through to the app, with real sockets: a front server on a loopback port
// forwarding to an app server on a Unix socket, as in production.
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { NextProxy } from "@/lib/door/next-proxy";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function setup(app: Handler | null) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-proxy-"));
  const socketPath = path.join(dir, "app.sock");
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (app) {
    const appServer = http.createServer(app);
    await new Promise<void>((r) => appServer.listen(socketPath, r));
    cleanups.push(() => {
      appServer.closeAllConnections();
      appServer.close();
    });
  }
  const proxy = new NextProxy(socketPath);
  const front = http.createServer((req, res) => proxy.forward(req, res));
  await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
  cleanups.push(() => {
    proxy.close();
    front.closeAllConnections();
    front.close();
  });
  return `http://127.0.0.1:${(front.address() as { port: number }).port}`;
}

function request(url: string, options: http.RequestOptions & { body?: Buffer } = {}) {
  return new Promise<{ status: number; message: string; raw: string[]; body: Buffer }>((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, message: res.statusMessage!, raw: res.rawHeaders, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("NextProxy", () => {
  it("passes method, path, query, headers and body through, and the answer back, duplicates and status text kept", async () => {
    let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; sha: string } | null = null;
    const url = await setup((req, res) => {
      const hash = createHash("sha256");
      req.on("data", (c: Buffer) => hash.update(c));
      req.on("end", () => {
        seen = { method: req.method, url: req.url, headers: req.headers, sha: hash.digest("hex") };
        res.writeHead(201, "Made It", [
          ["Set-Cookie", "a=1"],
          ["Set-Cookie", "b=2"],
          ["X-App", "yes"],
          ["Keep-Alive", "timeout=60"],
        ]);
        res.end("done");
      });
    });
    const body = randomBytes(1024 * 1024);
    const answer = await request(`${url}/api/things?x=1&y=%20`, {
      method: "PATCH",
      headers: {
        "Content-Type": "application/octet-stream",
        Cookie: "s=1",
        "X-Custom": "v",
        TE: "trailers",
        "Proxy-Connection": "keep-alive",
      },
      body,
    });
    expect(seen!.method).toBe("PATCH");
    expect(seen!.url).toBe("/api/things?x=1&y=%20");
    expect(seen!.sha).toBe(createHash("sha256").update(body).digest("hex"));
    expect(seen!.headers["x-custom"]).toBe("v");
    expect(seen!.headers.cookie).toBe("s=1");
    expect(seen!.headers.host).toBe(new URL(url).host);
    // Hop-by-hop headers stay on their hop.
    expect(seen!.headers.te).toBeUndefined();
    expect(seen!.headers["proxy-connection"]).toBeUndefined();
    expect(answer.status).toBe(201);
    expect(answer.message).toBe("Made It");
    expect(answer.body.toString()).toBe("done");
    const cookies = answer.raw.filter((_, i) => i % 2 === 1 && answer.raw[i - 1]!.toLowerCase() === "set-cookie");
    expect(cookies).toEqual(["a=1", "b=2"]);
    expect(answer.raw).toContain("X-App");
    // The app's Keep-Alive was about its own connection (the front server sets its own).
    expect(answer.raw).not.toContain("timeout=60");
  });

  it("streams a live answer chunk by chunk, and a client that leaves ends the app's request", async () => {
    let appSideClosed: () => void;
    const closed = new Promise<void>((r) => (appSideClosed = r));
    const url = await setup((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write("event: first\n\n");
      // Never ends on its own: only the client's departure closes it.
      res.on("close", () => appSideClosed());
    });
    const first = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${url}/api/endpoints/x/stream`, (res) => {
        res.once("data", (c: Buffer) => {
          resolve(c.toString());
          req.destroy();
        });
      });
      req.on("error", (e) => (e.message.includes("socket hang up") ? undefined : reject(e)));
    });
    expect(first).toBe("event: first\n\n");
    await expect(Promise.race([closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("still open"), 2000))])).resolves.toBe(
      "closed",
    );
  });

  it("answers 502 with Retry-After when the app is not listening", async () => {
    const url = await setup(null);
    const answer = await request(`${url}/`);
    expect(answer.status).toBe(502);
    expect(answer.raw).toContain("Retry-After");
    expect(JSON.parse(answer.body.toString()).error.code).toBe("unavailable");
  });
});
