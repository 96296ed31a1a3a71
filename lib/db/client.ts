// One Prisma client per process (shared by the custom server and the Next bundle), for SQLite
// (embedded default) or PostgreSQL, chosen by DATABASE_URL. Both generated clients come from one
// model source, so the rest of the code sees one type.
import "../runtime/server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { shared } from "../runtime/shared";
import { adapterFactory, databaseTarget, sqlitePragmas } from "./adapter";
import type { DatabaseTarget } from "./target";

export type Db = SqliteClient;
export { Prisma } from "./generated/sqlite/client";

export { SQLITE_BUSY_TIMEOUT_MS } from "./target";
export { adapterFactory, databaseTarget, sqlitePragmas } from "./adapter";

export function createDb(target: DatabaseTarget): Db {
  const adapter = adapterFactory(target);
  if (adapter instanceof PrismaBetterSqlite3) return new SqliteClient({ adapter });
  return new PostgresClient({ adapter }) as unknown as Db;
}

export function db(): Db {
  return shared("db", () => createDb(databaseTarget()));
}

export function dbProvider(): DatabaseTarget["provider"] {
  return databaseTarget().provider;
}

export async function prepareDb(client: Db, target: DatabaseTarget): Promise<void> {
  if (target.provider !== "sqlite") return;
  // The server's checkpoint thread keeps the WAL short (lib/capture/checkpoint-worker.ts): a
  // checkpoint here would run on the event loop, in the middle of some API request.
  for (const pragma of [...sqlitePragmas(), "PRAGMA wal_autocheckpoint = 0"]) await client.$queryRawUnsafe(pragma);
}

/**
 * One PRAGMA optimize pass (see keepPlannerStatistics): also run after a job deleted many rows (lib/jobs/runner.ts),
 * whose endpoint's figures would otherwise describe the rows it had until the next hourly pass. SQLite only.
 */
export async function optimizePlanner(client: Db): Promise<void> {
  await client.$queryRawUnsafe("PRAGMA analysis_limit = 1000");
  await client.$queryRawUnsafe("PRAGMA optimize = 0x10002");
}

/** How often the query planner's statistics are refreshed on SQLite (PRAGMA optimize). */
export const SQLITE_OPTIMIZE_EVERY_MS = 60 * 60 * 1000;

/**
 * SQLite plans queries from the figures ANALYZE leaves in sqlite_stat1. A new database has none, so the planner
 * guesses that `endpointId = ?` matches about ten rows, and it keeps whatever figures it has while an endpoint grows
 * from ten captures to a million. `PRAGMA optimize = 0x10002` re-analyses the tables that have no figures or whose size
 * changed a lot since their last analysis (0x10000: every table, not only those this connection used lately);
 * analysis_limit makes each ANALYZE read a sample (measured: about 50 ms for the whole database at 200k captures;
 * the statement holds the write lock meanwhile, which the capture writer waits out like any busy moment). Runs on the main client (the connection that serves the dashboard's reads,
 * which then plans with the new figures) at start and every SQLITE_OPTIMIZE_EVERY_MS. PostgreSQL's figures are
 * autovacuum's (its ANALYZE), nothing to do. Returns the stop of the timer.
 */
export async function keepPlannerStatistics(client: Db, target: DatabaseTarget, everyMs = SQLITE_OPTIMIZE_EVERY_MS): Promise<() => void> {
  if (target.provider !== "sqlite") return () => {};
  const optimize = () => optimizePlanner(client);
  await optimize();
  const timer = setInterval(() => {
    optimize().catch(() => {
      // A busy database: the next run tries again; plans only get slower meanwhile, never wrong.
    });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
