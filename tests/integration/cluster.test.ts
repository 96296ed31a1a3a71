// Cluster mode (issue 17): three instances on distinct ports sharing one PostgreSQL database and one
// Redis (REDIS_URL). Live captures cross instances, invalidations and share-link revocations reach
// every instance, the endpoint-creation limit is one allowance for all three, and a capture that
// draws its seq before another instance's later one still reaches every stream (the endpoint lock).
import { createHmac, randomUUID } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterUnavailable, SHARED_REDIS, SHARED_REDIS_URL } from "../helpers/cluster";
import { freePort } from "../helpers/ports";
import { Api, startServer, type TestServer } from "../helpers/server";
import { openStream } from "../helpers/sse";

const REDIS = SHARED_REDIS;
const REDIS_URL = SHARED_REDIS_URL;

/** A TCP proxy to Redis that the test can cut and restore (the shared Redis itself must stay up). */
function redisProxy(port: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(REDIS.port, REDIS.host);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on("close", () => sockets.delete(sock));
          sock.on("error", () => {});
        }
        client.pipe(upstream).pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      server.once("error", reject).listen(port, "127.0.0.1", () => resolve());
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const sock of sockets) sock.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  return { start, cut, url: `redis://127.0.0.1:${port}/0` };
}

const skip = await clusterUnavailable();
/** Creations allowed per address per minute on every instance, shared by the three. */
const CREATE_LIMIT = 5;

describe.skipIf(skip !== null)("cluster mode: three instances, one PostgreSQL, one Redis", () => {
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  /** An instance whose Redis goes through a proxy the test cuts. */
  let d: TestServer;
  let proxy: ReturnType<typeof redisProxy>;
  let user: Api;
  /** The same signed-in user on each instance (one session: the cookie works everywhere). */
  const on = (s: TestServer, from = "127.0.0.1") => {
    const api = new Api(s.url);
    api.cookie = user.cookie;
    api.localAddress = from;
    return api;
  };
  let nextAddress = 10;
  /** A client address of its own per test: the creation limit is low here, per address. */
  const freshAddress = () => `127.0.3.${nextAddress++}`;

  beforeAll(async () => {
    const env = {
      REDIS_URL,
      // A prefix per run: parallel runs on the same Redis see nothing of each other.
      REDIS_PREFIX: `hs-test-${randomUUID().slice(0, 8)}:`,
      SECRET: "cluster-test-secret-cluster-test-secret-0123456789",
      ENDPOINT_CREATE_LIMIT: String(CREATE_LIMIT),
      ENDPOINT_CREATE_WINDOW_S: "60",
      METRICS_TOKEN: "cluster-metrics-token-0123456789",
    };
    // A migrates the fresh database; B and C start on it once it is ready.
    // The proxy first, on a port free now (in TEST_PORTS when set), so no server takes it meanwhile.
    proxy = redisProxy(await freePort());
    await proxy.start();
    a = await startServer({ provider: "postgresql", env });
    [b, c, d] = await Promise.all([
      startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env }),
      startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env }),
      startServer({ provider: "postgresql", databaseUrl: a.databaseUrl, env: { ...env, REDIS_URL: proxy.url } }),
    ]);
    user = new Api(a.url);
    user.localAddress = "127.0.3.1";
    await user.signUp("cluster@example.test");
  }, 120_000);

  afterAll(async () => {
    // A owns the database: it goes last.
    await Promise.all([b?.stop(), c?.stop(), d?.stop()]);
    await a?.stop();
    await proxy?.cut();
  });

  const capture = async (s: TestServer, token: string, path: string) => {
    const res = await fetch(`${s.url}/in/${token}${path}`, { method: "POST", body: path });
    expect(res.status).toBe(200);
    return ((await res.json()) as { captureId: string }).captureId;
  };

  it("a capture ingested on A reaches an SSE client on B within 1 s", async () => {
    const ep = await on(a, freshAddress()).createEndpoint({ name: "live" });
    const s = openStream(`${b.url}/api/endpoints/${ep.id}/stream`, { cookie: user.cookie });
    await s.opened;
    expect(s.status).toBe(200);
    await s.until(() => s.events.some((e) => e.event === "ready"));
    // A first capture warms both fresh servers' code paths (not what the bound is about).
    const warm = await capture(a, ep.token, "/warm-up");
    await s.until(() => s.captures().some((x) => x.id === warm), 5000);
    const took: number[] = [];
    for (const path of ["/one", "/two", "/three"]) {
      const started = Date.now();
      const id = await capture(a, ep.token, path);
      await s.until(() => s.captures().some((x) => x.id === id), 2000);
      took.push(Date.now() - started);
    }
    console.info(`capture on A → SSE on B (send to event, ms): ${took.join(", ")}`);
    expect(Math.max(...took)).toBeLessThan(1000);
    expect(s.captures().map((x) => x.path)).toEqual(["/warm-up", "/one", "/two", "/three"]);
    s.close();
  });

  it("Last-Event-ID resume on C returns exactly the captures missed, in order, whichever instance took them", async () => {
    const ep = await on(b, freshAddress()).createEndpoint({ name: "resume" });
    const first = openStream(`${c.url}/api/endpoints/${ep.id}/stream`, { cookie: user.cookie });
    await first.opened;
    await first.until(() => first.events.some((e) => e.event === "ready"));
    await capture(a, ep.token, "/before");
    await first.until(() => first.captures().length === 1);
    const lastSeen = first.captures()[0]!.seq;
    first.close();

    // Missed while away: sent to all three instances at once, ten rounds.
    for (let round = 0; round < 10; round++) {
      await Promise.all([a, b, c].map((s, i) => capture(s, ep.token, `/missed-${round}-${i}`)));
    }
    const stored = (await on(a).captures(ep.id, "?limit=100")).captures.filter((x: { seq: number }) => x.seq > lastSeen);
    const expected = stored.map((x: { id: string }) => x.id).reverse();
    expect(expected).toHaveLength(30);

    const second = openStream(`${c.url}/api/endpoints/${ep.id}/stream`, { cookie: user.cookie, "last-event-id": String(lastSeen) });
    await second.opened;
    await second.until(() => second.events.some((e) => e.event === "ready"));
    expect(second.captures().map((x) => x.id)).toEqual(expected);
    const seqs = second.captures().map((x) => x.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    // And live ones after it, from another instance.
    const live = await capture(b, ep.token, "/after-resume");
    await second.until(() => second.captures().length === 31);
    expect(second.captures()[30]!.id).toBe(live);
    second.close();
  });

  it("seqs are drawn under the endpoint's lock: a capture committed on B never hides an earlier one being committed elsewhere", async () => {
    const ep = await on(a, freshAddress()).createEndpoint({ name: "ordering" });
    const s = openStream(`${c.url}/api/endpoints/${ep.id}/stream`, { cookie: user.cookie });
    await s.opened;
    await s.until(() => s.events.some((e) => e.event === "ready"));

    // "Another instance" mid-commit, as the write path does it: it holds the endpoint's lock first.
    const other = new pg.Client({ connectionString: a.databaseUrl });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT "id" FROM "Endpoint" WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR NO KEY UPDATE`, [[ep.id]]);
      // B takes a capture for the same endpoint meanwhile. It must wait for the lock, and draw its seq
      // only then: had it drawn one now (smaller than the one drawn below) and committed after, a stream
      // that had read the larger one would never read it.
      const later = capture(b, ep.token, "/committed-second");
      await new Promise((r) => setTimeout(r, 400));
      expect(s.captures()).toHaveLength(0);
      const early = await other.query(
        `INSERT INTO "Capture" ("id", "endpointId", "receivedAt", "method", "path", "query", "httpVersion", "headers", "body",
           "bodySize", "bodySha256", "contentType", "remoteAddr", "rejected", "responseStatus", "durationMs")
         VALUES ($1, $2, $3, 'POST', '/committed-first', '', '1.1', '[]', ''::bytea, 0, $4, NULL, '127.0.0.1', NULL, 200, 0)
         RETURNING "seq"`,
        [`cap_${randomUUID()}`, ep.id, Date.now(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      );
      const earlySeq = early.rows[0].seq as number;
      await other.query("COMMIT");
      await later;
      await s.until(() => s.captures().length === 2, 3000);
      const got = s.captures();
      expect(got.map((x) => x.path)).toEqual(["/committed-first", "/committed-second"]);
      expect(got[0]!.seq).toBe(earlySeq);
      expect(got[1]!.seq).toBeGreaterThan(earlySeq);
    } finally {
      await other.query("ROLLBACK").catch(() => {});
      await other.end();
      s.close();
    }
  });

  it("a signature secret saved on A is used at once by a live stream open on B", async () => {
    const ep = await on(a, freshAddress()).createEndpoint({ name: "signed" });
    const s = openStream(`${b.url}/api/endpoints/${ep.id}/stream`, { cookie: user.cookie });
    await s.opened;
    await s.until(() => s.events.some((e) => e.event === "ready"));
    const push = async (ref: string) => {
      const body = `{"ref":"${ref}"}`;
      const signature = createHmac("sha256", "gh-cluster").update(body).digest("hex");
      const res = await fetch(`${c.url}/in/${ep.token}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-GitHub-Event": "push", "X-Hub-Signature-256": `sha256=${signature}` },
        body,
      });
      expect(res.status).toBe(200);
      const id = ((await res.json()) as { captureId: string }).captureId;
      await s.until(() => s.captures().some((x) => x.id === id), 3000);
      return (s.captures().find((x) => x.id === id) as { signature?: { provider?: string; status?: string } }).signature;
    };
    // No secret yet: B's stream loaded none, so the sender is known and the status "unknown".
    expect(await push("before")).toMatchObject({ provider: "github", status: "unknown" });
    const saved = await on(a).json("POST", `/api/endpoints/${ep.id}/signature-secrets`, {
      provider: "github",
      label: "ci",
      secret: "gh-cluster",
    });
    expect(saved.status).toBe(201);
    // B hears of the change and reloads (a capture meanwhile has no status, never a stale one).
    let status: string | undefined;
    for (let i = 0; i < 20 && status !== "valid"; i++) {
      status = (await push(`after-${i}`))?.status;
      expect(status === undefined || status === "valid").toBe(true);
    }
    expect(status).toBe("valid");
    s.close();
  });

  it("an endpoint deleted on A is refused (404) by B within 1 s", async () => {
    const ep = await on(a, freshAddress()).createEndpoint({ name: "doomed" });
    // B has it in its capture-target cache (kept 2 s without an invalidation).
    await capture(b, ep.token, "/cached");
    expect((await on(a).request("DELETE", `/api/endpoints/${ep.id}`)).status).toBeLessThan(300);
    const deletedAt = Date.now();
    for (;;) {
      const res = await fetch(`${b.url}/in/${ep.token}/after`, { method: "POST", body: "x" });
      if (res.status === 404) break;
      // Until B hears of it: captured (200), or 503 once its captures are purged (never stored, never acknowledged).
      expect([200, 503]).toContain(res.status);
      expect(Date.now() - deletedAt).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(Date.now() - deletedAt).toBeLessThan(1000);
  });

  it("an alias changed on B stops capturing under the old alias on C within 1 s", async () => {
    const alias = `old-${randomUUID().slice(0, 8)}`;
    const ep = await on(b, freshAddress()).createEndpoint({ name: "renamed", alias });
    await capture(c, alias, "/cached");
    const patched = await on(b).json("PATCH", `/api/endpoints/${ep.id}`, { alias: `new-${randomUUID().slice(0, 8)}` });
    expect(patched.status).toBe(200);
    const changedAt = Date.now();
    for (;;) {
      const res = await fetch(`${c.url}/in/${alias}/after`, { method: "POST", body: "x" });
      if (res.status === 404) break;
      expect(Date.now() - changedAt).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(Date.now() - changedAt).toBeLessThan(1000);
  });

  it("an API token revoked on B is refused on C at once", async () => {
    const made = await on(a).json("POST", "/api/tokens", { name: "ci-script" });
    expect(made.status).toBe(201);
    const script = new Api(c.url);
    script.bearer = made.body.token;
    expect((await script.json("GET", "/api/me")).body.kind).toBe("token");
    expect((await on(b).request("DELETE", `/api/tokens/${made.body.id}`)).status).toBeLessThan(300);
    // Tokens are looked up in the shared database on every request: no cache to invalidate.
    expect((await script.json("GET", "/api/me")).body.kind).toBe("none");
    expect((await script.request("GET", "/api/tokens")).status).toBeGreaterThanOrEqual(400);
  });

  it("a share link revoked on A ends its live stream on C at once (well within 5 s)", async () => {
    const ep = await on(a, freshAddress()).createEndpoint({ name: "shared" });
    const created = await on(a).json("POST", `/api/endpoints/${ep.id}/share-links`, { expiresInSeconds: 3600 });
    expect(created.status).toBe(201);
    const token = (created.body.url as string).split("/s/")[1]!;
    const s = openStream(`${c.url}/api/share/${token}/stream`, {});
    await s.opened;
    expect(s.status).toBe(200);
    await s.until(() => s.events.some((e) => e.event === "ready"));
    // The stream is live on C: a capture taken on B shows.
    await capture(b, ep.token, "/seen-by-share");
    await s.until(() => s.captures().length === 1, 2000);

    expect((await on(a).request("DELETE", `/api/share-links/${created.body.id}`)).status).toBe(204);
    const revokedAt = Date.now();
    await s.until(() => s.endedAt > 0, 5000);
    // Through Redis, not the 5 s revalidation every stream also runs.
    expect(s.endedAt - revokedAt).toBeLessThan(2000);
    // And the link is dead everywhere.
    expect((await fetch(`${b.url}/api/share/${token}`)).status).toBe(404);
  });

  it(`the endpoint-creation limit (${CREATE_LIMIT}/minute per address) holds across A, B and C together`, async () => {
    const from = freshAddress();
    const statuses: number[] = [];
    // 15 attempts, round robin: each instance alone would allow 5 (15 in all).
    for (let i = 0; i < 15; i++) {
      const s = [a, b, c][i % 3]!;
      const res = await on(s, from).request("POST", "/api/endpoints", { name: `rl-${i}` });
      await res.arrayBuffer();
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses.filter((x) => x === 201)).toHaveLength(CREATE_LIMIT);
    expect(statuses.filter((x) => x === 429)).toHaveLength(15 - CREATE_LIMIT);
    expect(statuses.slice(0, CREATE_LIMIT).every((x) => x === 201)).toBe(true);
  });

  it("Redis cut mid-stream on D: every acknowledged capture is stored, D's stream keeps up from the database and recovers", async () => {
    const ep = await on(a, freshAddress()).createEndpoint({ name: "redis-down" });
    const s = openStream(`${d.url}/api/endpoints/${ep.id}/stream`, { cookie: user.cookie });
    await s.opened;
    await s.until(() => s.events.some((e) => e.event === "ready"));
    const acknowledged: string[] = [];
    const send = async (server: TestServer, path: string) => {
      const res = await fetch(`${server.url}/in/${ep.token}${path}`, { method: "POST", body: path });
      if (res.status === 200) acknowledged.push(((await res.json()) as { captureId: string }).captureId);
      else await res.arrayBuffer();
      return res.status;
    };
    expect(await send(a, "/before-cut")).toBe(200);
    await s.until(() => s.captures().length === 1, 2000);

    await proxy.cut();
    // While D has no Redis: captures on A (and on D itself) are acknowledged as ever, and D's
    // stream reads them from the database (every 500 ms) instead of hearing of them.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await send(i % 2 ? d : a, `/during-${i}`));
    expect(statuses.every((x) => x === 200)).toBe(true);
    await s.until(() => s.captures().length === 11, 3000);
    // The API answers as usual meanwhile (the creation limit falls back to D's own count).
    expect((await on(d, freshAddress()).request("POST", "/api/endpoints", { name: "while-down" })).status).toBe(201);
    // The sign-in throttle falls back to D's own count (fail open to the per-instance limit): D alone
    // backs off after the 5 free failures from one address.
    const guessed = `${freshAddress()}`;
    const errors: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const guesser = new Api(d.url);
      guesser.localAddress = guessed;
      errors.push((await guesser.signIn("cluster@example.test", `wrong ${i}`)).error);
    }
    expect(errors.slice(0, 5)).toEqual(Array(5).fill("CredentialsSignin"));
    expect(errors[5]).toMatch(/^TooManyAttempts:\d+$/);

    await proxy.start();
    // Back: D reconnects (attempts at most 1 s apart) and hears of captures again.
    const reconnected = () => d.logs.join("").match(/"role":"subscriber","reconnected":true[^\n]*redis connected/g)?.length ?? 0;
    const before = reconnected();
    for (let i = 0; i < 40 && reconnected() === before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(reconnected()).toBe(before + 1);
    // The connection errors were counted.
    const metricsText = await (
      await fetch(`${d.url}/metrics`, { headers: { authorization: "Bearer cluster-metrics-token-0123456789" } })
    ).text();
    const connectionErrors = metricsText
      .split("\n")
      .find((l) => l.startsWith('hookscope_redis_errors_total{kind="connection",role="commands"} '));
    expect(Number(connectionErrors?.split(" ").pop())).toBeGreaterThan(0);
    const started = Date.now();
    expect(await send(a, "/after-restore")).toBe(200);
    await s.until(() => s.captures().length === 12, 2000);
    expect(Date.now() - started).toBeLessThan(1000);

    // Exactly the acknowledged captures, each once, in order, and all of them stored.
    expect(s.captures().map((x) => x.id)).toEqual(acknowledged);
    const stored = await on(a).allCaptureIds(ep.id);
    expect([...stored].reverse()).toEqual(acknowledged);
    s.close();
  });
});
