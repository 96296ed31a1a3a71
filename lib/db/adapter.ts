// The database's target, driver adapters and per-connection settings, without the generated Prisma
// clients (lib/db/client.ts): the worker threads that write with better-sqlite3 or the bare adapter
// (the write worker, the search-index and checkpoint threads) import this, so they never load
// Prisma's client runtime and the two generated clients (about 8 MB of heap per thread; issue 17).
import "../runtime/server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { config } from "../config";
import { resolveDatabaseTarget, SQLITE_BUSY_TIMEOUT_MS, type DatabaseTarget } from "./target";

export function databaseTarget(): DatabaseTarget {
  const c = config();
  return resolveDatabaseTarget(c.DATABASE_URL, c.DATA_DIR);
}

export function adapterFactory(target: DatabaseTarget, poolSize = 10, statementTimeoutMs = 10_000) {
  if (target.provider === "sqlite") {
    mkdirSync(path.dirname(target.file), { recursive: true });
    return new PrismaBetterSqlite3({ url: target.url, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }
  return new PrismaPg({
    connectionString: target.url,
    max: poolSize,
    connectionTimeoutMillis: 2000,
    query_timeout: statementTimeoutMs + 1000,
    statement_timeout: statementTimeoutMs,
  });
}

/**
 * Per-connection SQLite settings. WAL lets the dashboard read while captures commit; synchronous
 * FULL (the default) syncs the WAL on every commit, so an acknowledged capture survives a power
 * cut, not only a process crash.
 */
export function sqlitePragmas(): string[] {
  return ["PRAGMA journal_mode = WAL", `PRAGMA synchronous = ${config().SQLITE_SYNCHRONOUS}`, "PRAGMA foreign_keys = ON"];
}
