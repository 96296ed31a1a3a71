// `npm run db:migrate` applies the Prisma migrations through the WASM schema engine, once, on
// both providers, and records them in the standard _prisma_migrations table.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PG_ADMIN_URL, providers, root } from "../helpers/server";

const run = promisify(execFile);
const migrate = (env: Record<string, string>) =>
  run(path.join(root, "node_modules/.bin/tsx"), ["scripts/db.ts", "migrate"], { cwd: root, env: { ...process.env, ...env } });

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe.each(await providers())("npm run db:migrate (%s)", (provider) => {
  it("applies every migration once, then reports the database up to date", async () => {
    let env: Record<string, string>;
    let tables: () => Promise<string[]>;
    let history: () => Promise<string[]>;
    if (provider === "sqlite") {
      const dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-migrate-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      env = { DATA_DIR: dir };
      const query = (sql: string) => {
        const db = new Database(path.join(dir, "hookscope.db"), { readonly: true });
        try {
          return db.prepare(sql).all() as Record<string, string>[];
        } finally {
          db.close();
        }
      };
      tables = async () => query("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name!);
      history = async () =>
        query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL").map((r) => r.migration_name!);
    } else {
      const name = `hookscope_migrate_${process.pid}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      env = { DATABASE_URL: url.toString() };
      const query = async (sql: string) => {
        const c = new pg.Client({ connectionString: url.toString() });
        await c.connect();
        try {
          return (await c.query(sql)).rows as Record<string, string>[];
        } finally {
          await c.end();
        }
      };
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      });
      tables = async () => (await query("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).map((r) => r.name!);
      history = async () =>
        (await query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL")).map((r) => r.migration_name!);
    }

    const first = await migrate(env);
    expect(first.stdout).toMatch(/^applied: \d{14}_init/m);
    expect(await tables()).toEqual(expect.arrayContaining(["Endpoint", "Capture", "_prisma_migrations"]));
    const applied = await history();
    expect(applied.length).toBeGreaterThan(0);

    const second = await migrate(env);
    expect(second.stdout).toMatch(/already up to date/);
    expect(await history()).toEqual(applied);
  });
});
