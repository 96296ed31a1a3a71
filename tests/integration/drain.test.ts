// SIGTERM drains: the listener closes (new connections are refused), a capture whose body is still
// arriving is answered after its commit and stored, a live stream gets a `retry:` hint and a
// `shutdown` event and ends, and the process exits 0.
import Database from "better-sqlite3";
import http from "node:http";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Api, startServer, type TestServer } from "../helpers/server";

let server: TestServer | undefined;
afterAll(async () => server?.stop());

const until = async (test: () => boolean, what: string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("SIGTERM drain", () => {
  it("answers and stores the capture in flight, ends live streams with a retry hint, refuses new connections, exits 0", async () => {
    server = await startServer();
    const api = new Api(server.url);
    const endpoint = await api.createEndpoint();
    const port = server.port;

    // A live stream, open and past its replay.
    let sse = "";
    let sseEnded = false;
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${server!.url}/api/endpoints/${endpoint.id}/stream`, { headers: { cookie: api.cookie } }, (res) => {
        res.on("data", (d: Buffer) => {
          sse += d.toString();
          if (sse.includes("event: ready")) resolve();
        });
        res.on("end", () => (sseEnded = true));
        res.on("error", () => (sseEnded = true));
      });
      req.on("error", reject);
    });

    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    // A capture whose body is half sent when the signal comes.
    const body = Buffer.from('{"drain":"in flight during SIGTERM"}');
    let ack: { status: number; body: string; connection: string | undefined } | null = null;
    const capture = http.request(
      { host: "127.0.0.1", port, method: "POST", path: `/in/${endpoint.token}`, headers: { "content-length": body.length } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => (ack = { status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
      },
    );
    capture.on("error", () => {});
    capture.write(body.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 300));

    const exited = new Promise<number | null>((r) => server!.child.once("exit", (code) => r(code)));
    server.child.kill("SIGTERM");

    // The stream gets the hint and ends.
    await until(() => sseEnded, "the live stream to end");
    expect(sse).toMatch(/retry: \d+\nevent: shutdown\ndata: \{"reason":"shutting_down"/);

    // New connections are refused.
    await until(() => server!.logs.join("").includes("shutting down"), "the shutdown log");
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();

    // The capture's body completes during the drain: acknowledged after its commit.
    capture.end(body.subarray(10));
    await until(() => ack !== null, "the capture's answer");
    expect(ack!.status).toBe(200);
    // ...on a connection that closes after it (a proxy or client reconnects elsewhere).
    expect(ack!.connection).toBe("close");
    const { captureId } = JSON.parse(ack!.body) as { captureId: string };

    expect(await exited).toBe(0);
    const db = new Database(path.join(server.dataDir, "hookscope.db"), { readonly: true });
    const row = db.prepare('SELECT "body" FROM "Capture" WHERE "id" = ?').get(captureId) as { body: Buffer } | undefined;
    db.close();
    expect(row && Buffer.from(row.body).toString()).toBe(body.toString());
  });
});
