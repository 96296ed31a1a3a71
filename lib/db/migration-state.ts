// Which of the project's migrations a database has applied, read from Prisma's own table
// (_prisma_migrations: a row per migration, finished_at set once it ran, rolled_back_at when undone).
// Two uses: start-up skips Prisma's schema engine (a 5.4 MB WebAssembly module, compiled and kept
// for the process's life: ~0.5 s and tens of MB) when nothing is pending, and /readyz reports a
// database whose schema is behind the code as not ready.
import "../runtime/server-only";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { codeLayout } from "../runtime/worker-files";
import type { DatabaseTarget } from "./target";

export const APPLIED_MIGRATIONS_SQL =
  'SELECT "migration_name" AS name FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL';

export function migrationsDir(provider: DatabaseTarget["provider"]): string {
  return path.join(codeLayout().root, provider === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations");
}

const shipped = new Map<DatabaseTarget["provider"], string[]>();

/** The migration folders the code ships (each with a migration.sql), in order; read once. */
export function migrationNames(provider: DatabaseTarget["provider"]): string[] {
  const known = shipped.get(provider);
  if (known) return known;
  const names = readMigrationNames(provider);
  shipped.set(provider, names);
  return names;
}

function readMigrationNames(provider: DatabaseTarget["provider"]): string[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/** The shipped migrations missing from `applied` (the names the database reports). */
export function pendingOf(provider: DatabaseTarget["provider"], applied: Iterable<string>): string[] {
  const done = new Set(applied);
  return migrationNames(provider).filter((n) => !done.has(n));
}

const NO_TABLE = /no such table|does not exist/i;

/** Names applied, read with the drivers themselves (before any Prisma client exists); [] on a new database. */
export async function appliedMigrationsDirect(target: DatabaseTarget): Promise<string[]> {
  if (target.provider === "sqlite") {
    if (!existsSync(target.file)) return [];
    const db = new Database(target.file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(APPLIED_MIGRATIONS_SQL).all() as { name: string }[]).map((r) => r.name);
    } catch (err) {
      if (NO_TABLE.test((err as Error).message)) return [];
      throw err;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<{ name: string }>(APPLIED_MIGRATIONS_SQL)).rows.map((r) => r.name);
  } catch (err) {
    if (NO_TABLE.test((err as Error).message)) return [];
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}
