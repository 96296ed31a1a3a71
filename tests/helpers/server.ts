// Starts the real Hookscope server (server.ts, production build) as a child process on a loopback
// port with a fresh database, for integration tests that drive it over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const root = path.resolve(import.meta.dirname, "../..");
export type Provider = "sqlite" | "postgresql";

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let pgChecked: Promise<string | null> | undefined;
/** null when PostgreSQL is reachable, else the reason it is not. */
export function postgresUnavailable(): Promise<string | null> {
  pgChecked ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return null;
    } catch (err) {
      return `PostgreSQL at ${PG_ADMIN_URL} is not reachable: ${(err as Error).message}`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgChecked;
}

/** Providers to run against: PostgreSQL is required in CI and skipped (with the reason) elsewhere. */
export async function providers(): Promise<Provider[]> {
  const reason = await postgresUnavailable();
  if (!reason) return ["sqlite", "postgresql"];
  if (process.env.CI) throw new Error(`${reason} (CI must run the PostgreSQL tests)`);
  console.warn(`skipping PostgreSQL integration tests: ${reason}`);
  return ["sqlite"];
}

async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hookscope_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  provider: Provider;
  logs: string[];
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  provider?: Provider;
  env?: Record<string, string>;
  /** Use this database URL instead of a fresh one (the caller owns it). */
  databaseUrl?: string;
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const provider = opts.provider ?? "sqlite";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hookscope-test-"));
  let pgDb: Awaited<ReturnType<typeof createPgDatabase>> | undefined;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl && provider === "postgresql") {
    pgDb = await createPgDatabase();
    databaseUrl = pgDb.url;
  }
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      ...(databaseUrl && { DATABASE_URL: databaseUrl }),
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join("")}`)), 60_000);
    const onData = (d: Buffer) => {
      const text = d.toString();
      logs.push(text);
      buf += text;
      const m = /"port":(\d+)[^\n]*hookscope listening/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d: Buffer) => logs.push(d.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join("")}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    dataDir,
    databaseUrl,
    provider,
    logs,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await pgDb?.drop().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A cookie-carrying API client for one anonymous owner. */
export class Api {
  cookie = "";
  constructor(readonly base: string) {}

  async request(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${pathname}`, {
      method,
      headers: {
        ...(body !== undefined && { "content-type": "application/json" }),
        ...(this.cookie && { cookie: this.cookie }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0]!;
    return res;
  }

  async json<T = any>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request(method, pathname, body);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async createEndpoint(input: Record<string, unknown> = {}) {
    const { status, body } = await this.json("POST", "/api/endpoints", input);
    if (status !== 201) throw new Error(`create endpoint: ${status} ${JSON.stringify(body)}`);
    return body as { id: string; token: string; url: string; alias: string | null; name: string; createdAt: string };
  }

  async captures(endpointId: string, query = "") {
    const { status, body } = await this.json("GET", `/api/endpoints/${endpointId}/captures${query}`);
    if (status !== 200) throw new Error(`list captures: ${status} ${JSON.stringify(body)}`);
    return body as { captures: any[]; nextBefore: number | null };
  }

  /** Every capture id stored for the endpoint, newest first, following the `before` cursor. */
  async allCaptureIds(endpointId: string): Promise<string[]> {
    const ids: string[] = [];
    let before: number | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await this.captures(endpointId, `?limit=500${before === null ? "" : `&before=${before}`}`);
      ids.push(...page.captures.map((c: { id: string }) => c.id));
      if (page.nextBefore === null) return ids;
      if (before !== null && page.nextBefore >= before) throw new Error("the paging cursor did not move to older rows");
      before = page.nextBefore;
    }
    throw new Error("too many pages");
  }

  async rawBody(captureId: string): Promise<Buffer> {
    const res = await this.request("GET", `/api/captures/${captureId}/body`);
    if (res.status !== 200) throw new Error(`body: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
}
