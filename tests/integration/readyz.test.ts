// /healthz (alive) and /readyz (may take traffic: database answers, migrations applied, Redis answers
// when REDIS_URL is set), on the real server over loopback.
import Database from "better-sqlite3";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PG_ADMIN_URL, postgresUnavailable, startServer, type TestServer } from "../helpers/server";

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});
const start = async (...args: Parameters<typeof startServer>) => {
  const s = await startServer(...args);
  servers.push(s);
  return s;
};

async function readyz(base: string) {
  const res = await fetch(`${base}/readyz`);
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as { ready: boolean; reasons?: { code: string }[] },
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe("/healthz and /readyz", () => {
  it("a started server is alive and ready; a migration missing from the database makes it not ready", async () => {
    const server = await start();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await readyz(server.url)).toMatchObject({ status: 200, body: { ready: true } });

    const db = new Database(path.join(server.dataDir, "hookscope.db"));
    const last = db.prepare('SELECT migration_name AS name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1').get() as {
      name: string;
    };
    db.prepare('UPDATE "_prisma_migrations" SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = ?').run(last.name);
    const r = await readyz(server.url);
    expect(r).toMatchObject({ status: 503, retryAfter: "5", body: { ready: false, reasons: [{ code: "migrations_pending" }] } });
    expect(JSON.stringify(r.body)).toContain(last.name);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    db.prepare('UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE migration_name = ?').run(last.name);
    db.close();
    expect((await readyz(server.url)).status).toBe(200);
  });

  it("with REDIS_URL set, Redis must answer: 503 redis_unreachable when it does not, 200 when it does", async () => {
    // Cluster mode needs PostgreSQL as the store.
    const down = await start({
      provider: "postgresql",
      env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, REDIS_PREFIX: "readyz-down:" },
    });
    const r = await readyz(down.url);
    expect(r).toMatchObject({ status: 503, body: { ready: false, reasons: [{ code: "redis_unreachable" }] } });
    expect(JSON.stringify(r.body)).not.toContain("redis://");
    expect((await fetch(`${down.url}/healthz`)).status).toBe(200);

    const up = await start({ provider: "postgresql", env: { REDIS_URL: "redis://127.0.0.1:6379", REDIS_PREFIX: "readyz-up:" } });
    expect(await readyz(up.url)).toMatchObject({ status: 200, body: { ready: true } });
  });

  it("PostgreSQL refusing connections: 503 database_unreachable, then ready again", async (ctx) => {
    const reason = await postgresUnavailable();
    if (reason) return ctx.skip();
    const server = await start({ provider: "postgresql" });
    expect((await readyz(server.url)).status).toBe(200);
    const name = new URL(server.databaseUrl!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
      await expect
        .poll(async () => (await readyz(server.url)).body, { timeout: 15_000 })
        .toMatchObject({
          ready: false,
          reasons: [{ code: "database_unreachable" }],
        });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await expect.poll(async () => (await readyz(server.url)).status, { timeout: 15_000 }).toBe(200);
  });
});
