// Starts the real Hookscope server as `npm start` runs it (node dist/server.mjs: the compiled server,
// kept current by tests/helpers/build-setup.ts, and the Next.js production build) as a child process
// on a loopback port with a fresh database, for integration tests that drive it over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { testPort } from "./ports";
// @ts-expect-error: a plain .mjs module without type declarations
import { SERVER_ENTRY as ENTRY, SERVER_ENV as ENV, SERVER_NODE_ARGS as ARGS } from "../../scripts/server-command.mjs";

/** How `npm start` runs the server (scripts/server-command.mjs). */
export const SERVER_ENTRY = ENTRY as string;
export const SERVER_ENV = ENV as Record<string, string>;
export const SERVER_NODE_ARGS = ARGS as string[];

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

export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
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
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, path.join(root, SERVER_ENTRY)], {
    cwd: root,
    env: {
      ...process.env,
      ...SERVER_ENV,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      HOST: "127.0.0.1",
      PORT: String(await testPort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      // Tests create many endpoints from one address; tests of the throttle set a low limit.
      ENDPOINT_CREATE_LIMIT: "1000000",
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
      if (child.exitCode === null && child.signalCode === null) {
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

/**
 * fetch() over node:http from a chosen local address: every 127.x.y.z is loopback on Linux, so a
 * test can be "another client address" (sign-in throttling, per-address limits) without a proxy.
 */
export function fetchFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const headers = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode ?? 0;
        const body = [101, 204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers }));
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** A cookie-carrying API client: one anonymous owner, or a signed-in user (see signUp/signIn). */
export class Api {
  private jar = new Map<string, string>();
  /** Sent as Authorization: Bearer instead of cookies when set. */
  bearer: string | null = null;
  /** Connect from this loopback address (e.g. "127.0.0.2") instead of the default one. */
  localAddress: string | null = null;
  constructor(readonly base: string) {}

  private fetch(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string; redirect?: "manual" },
  ): Promise<Response> {
    if (this.localAddress) return fetchFrom(this.localAddress, url, init);
    return fetch(url, init);
  }

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  set cookie(value: string) {
    this.jar.clear();
    for (const part of value.split(";")) {
      const eq = part.indexOf("=");
      if (eq > 0) this.jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** POST /api/auth/signup, then a next-auth credentials sign-in (session cookie kept). */
  async signUp(email: string, password = "correct horse battery", name = email.split("@")[0]!) {
    const { status, body } = await this.json("POST", "/api/auth/signup", { email, password, name });
    if (status !== 201) throw new Error(`sign-up: ${status} ${JSON.stringify(body)}`);
    const signedIn = await this.signIn(email, password);
    if (!signedIn.ok) throw new Error(`sign-in after sign-up failed: ${signedIn.error}`);
    return body as { id: string; email: string; name: string; personalWorkspaceId: string };
  }

  /** The next-auth credentials flow a browser goes through: CSRF token, then the callback POST. */
  async signIn(email: string, password: string): Promise<{ ok: boolean; error: string | null; status: number }> {
    const csrf = await this.request("GET", "/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await this.fetch(`${this.base}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookie },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
      redirect: "manual",
    });
    this.remember(res);
    const data = (await res.json().catch(() => ({}))) as { url?: string };
    const error = data.url ? new URL(data.url, this.base).searchParams.get("error") : null;
    const ok = [...this.jar.keys()].some((k) => k.endsWith("next-auth.session-token")) && !error;
    return { ok, error, status: res.status };
  }

  /** next-auth's sign-out as a browser does it (CSRF token, then the POST); the cookie is dropped. */
  async signOut(): Promise<Response> {
    const csrf = await this.request("GET", "/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await this.fetch(`${this.base}/api/auth/signout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookie },
      body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
      redirect: "manual",
    });
    this.remember(res);
    await res.arrayBuffer();
    return res;
  }

  async request(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await this.fetch(`${this.base}${pathname}`, {
      method,
      headers: {
        ...(body !== undefined && { "content-type": "application/json" }),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : this.jar.size > 0 ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.remember(res);
    return res;
  }

  // biome-ignore lint/suspicious/noExplicitAny: tests read API answers ad hoc (~190 call sites); pass T for a checked shape
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
    // biome-ignore lint/suspicious/noExplicitAny: capture summaries are read ad hoc by the tests, like json()'s answers
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

  /** The exact stored bytes (revealed: views mask secrets by default). */
  async rawBody(captureId: string): Promise<Buffer> {
    const res = await this.request("GET", `/api/captures/${captureId}/body?reveal=1`);
    if (res.status !== 200) throw new Error(`body: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
}
