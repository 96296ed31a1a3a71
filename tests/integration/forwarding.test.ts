// Automatic forwarding through the real server to local targets on 127.0.0.1 (allowed by
// ALLOWED_FORWARD_SUBNETS=127.0.0.0/8): byte-exact deliveries (credentials included: the rule is
// the owner's), a failing target retried with backoff and every try recorded as an attempt, the
// capture door acknowledging fast while the target hangs, pending retries surviving a restart,
// and a removed rule cancelling what is pending.
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo, Socket } from "node:net";
import Database from "better-sqlite3";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, PG_ADMIN_URL, providers, startServer, type Provider, type TestServer } from "../helpers/server";
import { rawRequest } from "../helpers/raw-http";
import { EchoServer, expectedOnWire, sha256, withoutConnection, type Pairs } from "../helpers/echo-server";

const ENV = { ALLOWED_FORWARD_SUBNETS: "127.0.0.0/8", FORWARD_TIMEOUT_MS: "2000", FORWARD_CONNECT_TIMEOUT_MS: "1000" };

async function rawCapture(server: TestServer, token: string, suffix: string, headers: Pairs, body: Buffer): Promise<string> {
  const all: Pairs = [["Host", `127.0.0.1:${server.port}`], ...headers];
  const head = `POST /in/${token}${suffix} HTTP/1.1\r\n${all.map(([n, v]) => `${n}: ${v}\r\n`).join("")}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  const res = await rawRequest(server.port, head, body);
  expect(res.status).toBe(200);
  return /X-Hookscope-Capture-Id: (\S+)/i.exec(res.headers)![1]!;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;

/** Accepts requests and never answers. */
async function hangingServer() {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = http.createServer(() => {
    requests++;
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe.each(await providers())("forwarding (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let ws = "";

  beforeAll(async () => {
    server = await startServer({ provider, env: ENV });
    api = new Api(server.url);
    ws = (await api.signUp(`forward-${provider}@example.test`)).personalWorkspaceId;
  }, 120_000);
  afterAll(() => server?.stop());

  it("forwards every new capture byte-exact and retries a failing target with backoff, recording each try", async () => {
    const echo = await new EchoServer().start();
    echo.handler = (_r, res, n) => {
      res.writeHead(n === 1 ? 500 : 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ n }));
    };
    try {
      const ep = await api.createEndpoint({ name: "forwarded", workspaceId: ws });
      const put = await api.json("PUT", `/api/endpoints/${ep.id}/forward`, { url: `${echo.url}/fwd?src=hs`, enabled: true });
      expect(put.status).toBe(200);
      expect(put.body.rule).toMatchObject({ url: `${echo.url}/fwd?src=hs`, enabled: true, followRedirects: false, maxAttempts: 6 });

      const body = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(2048)]);
      const id = await rawCapture(
        server,
        ep.token,
        "/sub/path?q=1&e=%2F",
        [
          ["X-Dup", "a"],
          ["x-dup", "b"],
          ["Content-Type", "application/octet-stream"],
          ["Authorization", "Bearer mine"],
          ["Stripe-Signature", "t=1,v1=abc"],
        ],
        body,
      );
      const original: Pairs = (await api.json("GET", `/api/captures/${id}?reveal=1`)).body.headers;

      const [first, second] = await echo.waitFor(2, 20_000);
      for (const got of [first!, second!]) {
        expect(got.url).toBe("/fwd/sub/path?src=hs&q=1&e=%2F");
        expect(got.sha256).toBe(sha256(body));
        expect(withoutConnection(got.headers)).toEqual(expectedOnWire(original, `127.0.0.1:${echo.port}`, body.length));
      }
      // FORWARD_BACKOFF: the first retry waits 5 s with "equal" jitter, so at least 2.5 s.
      const gap = second!.at - first!.at;
      expect(gap).toBeGreaterThanOrEqual(2400);
      expect(gap).toBeLessThan(8000);

      const attempts = await until("two recorded attempts", async () => {
        const list = await api.json("GET", `/api/captures/${id}/attempts?kind=forward`);
        return list.body.attempts.length === 2 && list.body.attempts;
      });
      expect(attempts.map((a: { attemptNo: number; response: { status: number } }) => [a.attemptNo, a.response.status])).toEqual([
        [2, 200],
        [1, 500],
      ]);
      expect(attempts[0]).toMatchObject({
        kind: "forward",
        actor: "forwarding rule",
        request: { bodySha256: sha256(body), bodySize: body.length },
      });
      const state = await until("the job delivered", async () => {
        const s = await api.json("GET", `/api/endpoints/${ep.id}/forward`);
        return s.body.jobs.delivered === 1 && s.body;
      });
      expect(state.jobs).toEqual({ pending: 0, delivered: 1, failed: 0 });
      const log = await api.json("GET", `/api/workspaces/${ws}/audit?action=forward.update`);
      expect(log.body.events[0]).toMatchObject({
        action: "forward.update",
        target: { type: "endpoint", id: ep.id },
        detail: { change: "created", enabled: true },
      });
    } finally {
      await echo.stop();
    }
  });

  it("a disabled rule forwards nothing; removing a rule cancels its pending retries", async () => {
    const echo = await new EchoServer().start();
    echo.handler = (_r, res) => {
      res.writeHead(503, { "Retry-After": "1" });
      res.end();
    };
    try {
      const ep = await api.createEndpoint({ name: "cancelled", workspaceId: ws });
      expect((await api.json("PUT", `/api/endpoints/${ep.id}/forward`, { url: `${echo.url}/x`, enabled: false })).status).toBe(200);
      await rawCapture(server, ep.token, "", [["Content-Type", "text/plain"]], Buffer.from("off"));
      await new Promise((r) => setTimeout(r, 1500));
      expect(echo.received).toHaveLength(0);

      expect(
        (await api.json("PUT", `/api/endpoints/${ep.id}/forward`, { url: `${echo.url}/x`, enabled: true, maxAttempts: 3 })).status,
      ).toBe(200);
      await rawCapture(server, ep.token, "", [["Content-Type", "text/plain"]], Buffer.from("on"));
      await echo.waitFor(1, 10_000);
      expect((await api.request("DELETE", `/api/endpoints/${ep.id}/forward`)).status).toBe(204);
      expect((await api.request("DELETE", `/api/endpoints/${ep.id}/forward`)).status).toBe(204);
      const state = await until(
        "the job cancelled",
        async () => {
          const s = await api.json("GET", `/api/endpoints/${ep.id}/forward`);
          return s.body.jobs.failed === 1 && s.body;
        },
        15_000,
      );
      expect(state).toEqual({ rule: null, jobs: { pending: 0, delivered: 0, failed: 1 } });
      expect(echo.received).toHaveLength(1);
    } finally {
      await echo.stop();
    }
  });

  it("keeps acknowledging captures fast while the forward target hangs", async () => {
    const hang = await hangingServer();
    try {
      const plain = await api.createEndpoint({ name: "baseline", workspaceId: ws });
      const ep = await api.createEndpoint({ name: "to a hanging target", workspaceId: ws });
      const payload = JSON.stringify({ type: "invoice.paid", data: { id: "in_1", amount: 1200 } });
      const measure = async (token: string) => {
        const times: number[] = [];
        for (let i = 0; i < 50; i++) {
          const t0 = performance.now();
          const res = await fetch(`${server.url}/in/${token}/evt?i=${i}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: payload,
          });
          expect(res.status).toBe(200);
          await res.arrayBuffer();
          times.push(performance.now() - t0);
        }
        return times;
      };
      const baseline = await measure(plain.token);
      expect(
        (await api.json("PUT", `/api/endpoints/${ep.id}/forward`, { url: `${hang.url}/hooks`, enabled: true, maxAttempts: 2 })).status,
      ).toBe(200);
      const times = await measure(ep.token);
      const figure = {
        baselineP95Ms: Math.round(p95(baseline) * 10) / 10,
        hangingP95Ms: Math.round(p95(times) * 10) / 10,
        maxMs: Math.round(Math.max(...times)),
      };
      console.log(`[forwarding ${provider}] capture ack latency, 50 sequential captures: ${JSON.stringify(figure)}`);
      expect(p95(times)).toBeLessThan(200);
      // Forwarding really was under way (and hanging) meanwhile.
      expect(hang.requests).toBeGreaterThan(0);
      // The hung tries end as timeouts, recorded as attempts.
      const capId = (await api.captures(ep.id)).captures.at(-1).id;
      const attempt = await until(
        "a timed-out attempt",
        async () => {
          const list = await api.json("GET", `/api/captures/${capId}/attempts`);
          return list.body.attempts[0];
        },
        20_000,
      );
      expect(attempt.error).toEqual({ code: "timeout", message: expect.any(String) });
      expect(attempt.response).toBeNull();
      await api.request("DELETE", `/api/endpoints/${ep.id}/forward`);
    } finally {
      await hang.stop();
    }
  });
});

describe.each(await providers())("forwarding across a restart (%s)", (provider: Provider) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-fwd-"));
  const dbName = `hookscope_fwd_${process.pid}_${randomBytes(4).toString("hex")}`;
  let databaseUrl = "";
  let server: TestServer | undefined;
  const env = { ...ENV, SECRET: "forwarding-restart-test-secret-0123456789abcdef" };

  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    if (provider === "postgresql") {
      await admin(`CREATE DATABASE ${dbName}`);
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${dbName}`;
      databaseUrl = url.toString();
    } else {
      databaseUrl = `file:${path.join(dir, "hookscope.db")}`;
    }
  });
  afterAll(async () => {
    await server?.stop();
    if (provider === "postgresql") await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it("a retry pending when the server stops is delivered after it starts again; a capture whose job was never written is caught up at start", async () => {
    const echo = await new EchoServer().start();
    let up = false;
    echo.handler = (_r, res) => {
      res.writeHead(up ? 200 : 500);
      res.end();
    };
    try {
      server = await startServer({ provider, databaseUrl, env });
      const api = new Api(server.url);
      await api.signUp(`restart-${provider}@example.test`);
      const ep = await api.createEndpoint({ name: "survives restarts" });
      expect((await api.json("PUT", `/api/endpoints/${ep.id}/forward`, { url: `${echo.url}/r`, enabled: true })).status).toBe(200);
      const body = randomBytes(1000);
      const id = await rawCapture(server, ep.token, "", [["Content-Type", "application/octet-stream"]], body);
      await echo.waitFor(1, 10_000);
      await until(
        "the failed try recorded",
        async () => (await api.json("GET", `/api/captures/${id}/attempts`)).body.attempts.length === 1,
      );
      await server.stop();
      server = undefined;
      up = true;

      server = await startServer({ provider, databaseUrl, env });
      const again = new Api(server.url);
      again.cookie = api.cookie;
      const [, second] = await echo.waitFor(2, 20_000);
      expect(second!.sha256).toBe(sha256(body));
      const list = await until("both tries recorded", async () => {
        const l = await again.json("GET", `/api/captures/${id}/attempts`);
        return l.body.attempts.length === 2 && l.body.attempts;
      });
      expect(list.map((a: { attemptNo: number; response: { status: number } }) => [a.attemptNo, a.response.status])).toEqual([
        [2, 200],
        [1, 500],
      ]);
      expect(echo.received).toHaveLength(2);

      // A capture committed just before a crash, whose job row was never written: the next start
      // finds it (recent, after the rule's last change, no job) and forwards it.
      await server.stop();
      server = undefined;
      if (provider === "postgresql") {
        const c = new pg.Client({ connectionString: databaseUrl });
        await c.connect();
        await c.query(`DELETE FROM "ForwardJob"`);
        await c.end();
      } else {
        const file = new Database(databaseUrl.slice("file:".length));
        file.prepare(`DELETE FROM "ForwardJob"`).run();
        file.close();
      }
      server = await startServer({ provider, databaseUrl, env });
      const [, , third] = await echo.waitFor(3, 20_000);
      expect(third!.sha256).toBe(sha256(body));
      // The log line is written before the delivery, but stdout reaches this process on its own
      // schedule: wait for it rather than assume it already arrived.
      const running = server;
      await until("the catch-up log line", async () => running.logs.join("").includes("enqueued captures that had no job"), 5000);
      expect(server.logs.join("")).not.toContain("catch-up failed");
    } finally {
      await echo.stop();
    }
  }, 90_000);
});
