// Applies (and authors) Prisma migrations through Prisma's own schema engine compiled to
// WebAssembly, driven through the same driver adapters the app uses. Machines that reach only
// the npm registry cannot download Prisma's native schema engine (see docs/prisma-offline.md);
// the migration files and the _prisma_migrations table are the standard ones, so
// `prisma migrate deploy` with the native engine sees the same state.
import "../runtime/server-only";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { ensureSearchIndexes } from "./search-indexes";
import { codeLayout } from "../runtime/worker-files";
import { appliedMigrationsDirect, pendingOf } from "./migration-state";
import type { DatabaseTarget } from "./target";

const require = createRequire(import.meta.url);
const root = codeLayout().root;

type Provider = DatabaseTarget["provider"];

const schemaPath: Record<Provider, string> = {
  sqlite: path.join(root, "prisma/schema.prisma"),
  postgresql: path.join(root, "prisma/postgres/schema.prisma"),
};

function migrationsDir(provider: Provider): string {
  return path.join(path.dirname(schemaPath[provider]), "migrations");
}

// Diffing against existing migrations replays them into a shadow database: SQLite uses an
// in-memory one, and the pg adapter creates (and drops) a scratch database on the same server.
function adapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === "sqlite") {
    return new PrismaBetterSqlite3({ url: target.url }) as unknown as SqlMigrationAwareDriverAdapterFactory;
  }
  return new PrismaPg({ connectionString: target.url }) as unknown as SqlMigrationAwareDriverAdapterFactory;
}

// The wasm runtime is a module singleton: __wbg_set_wasm replaces the instance it drives.
let runtimePromise: Promise<WasmRuntime> | undefined;
interface WasmRuntime {
  SchemaEngine: { new: (options: unknown, log: (msg: string) => void, adapter: object) => Promise<SchemaEngine> };
}
interface SchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout?: string }>;
  applyMigrations(params: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free(): void;
}

async function loadRuntime(): Promise<WasmRuntime> {
  runtimePromise ??= (async () => {
    const runtime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const bytes = readFileSync(path.join(dir, "schema_engine_bg.wasm"));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      "./schema_engine_bg.js": runtime as unknown as WebAssembly.ModuleImports,
    });
    (runtime as unknown as { __wbg_set_wasm(e: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime as unknown as WasmRuntime;
  })();
  return runtimePromise;
}

type Disposable = { dispose(): Promise<void> };

/**
 * A scratch PostgreSQL database for diffing against the migrations. The pg adapter's own shadow
 * database is opened with the connection string (which overrides its database name) and dropped
 * before its pool is closed; this one is created, used and dropped in the right order.
 */
async function postgresShadow(url: string): Promise<Adapter> {
  const name = `prisma_migrate_shadow_${randomUUID().replace(/-/g, "")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const shadowUrl = new URL(url);
  shadowUrl.pathname = `/${name}`;
  const adapter = (await new PrismaPg({ connectionString: shadowUrl.toString() }).connect()) as unknown as Adapter;
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  return adapter;
}
type Adapter = Awaited<ReturnType<SqlMigrationAwareDriverAdapterFactory["connect"]>>;

/**
 * The schema engine replays whole migration files into the shadow database with executeRaw, and
 * better-sqlite3 prepares one statement at a time ("contains more than one statement"). A
 * parameterless multi-statement script is run with executeScript instead.
 */
function withScriptFallback(adapter: Adapter): Adapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (err) {
      const multi =
        String((err as { cause?: unknown })?.cause ?? err).includes("more than one statement") ||
        String(err).includes("more than one statement");
      if (!multi || query.args.length > 0) throw err;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

/** Opens the engine and returns a close() that frees it and the connections it opened. */
async function openEngine(target: DatabaseTarget): Promise<{ engine: SchemaEngine; close(): Promise<void> }> {
  const runtime = await loadRuntime();
  const file = schemaPath[target.provider];
  const factory = adapterFactory(target);
  const opened: Disposable[] = [];
  // The engine does not close what it connects; track the adapters so the database file (or the
  // PostgreSQL connections) are released before the app opens its own.
  const tracking = Object.assign(Object.create(Object.getPrototypeOf(factory)) as object, factory, {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const a = await factory.connect();
      opened.push(a);
      return a;
    },
    connectToShadowDb: async () => {
      const a = target.provider === "postgresql" ? await postgresShadow(target.url) : withScriptFallback(await factory.connectToShadowDb());
      opened.push(a);
      return a;
    },
  }) as SqlMigrationAwareDriverAdapterFactory;
  const adapter = bindMigrationAwareSqlAdapterFactory(tracking);
  const engine = await runtime.SchemaEngine.new({ datamodels: [[file, readFileSync(file, "utf8")]] }, () => {}, adapter);
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose().catch(() => {})));
    },
  };
}

function migrationsList(provider: Provider) {
  const baseDir = migrationsDir(provider);
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(path.join(baseDir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

const filters = { externalTables: [], externalEnums: [] };

/**
 * Applies every pending migration, then the search indexes Prisma cannot describe (search-indexes.ts);
 * returns the migration names applied (none on an up-to-date database).
 */
export async function migrateDatabase(target: DatabaseTarget): Promise<string[]> {
  if (target.provider === "sqlite") mkdirSync(path.dirname(target.file), { recursive: true });
  // Up to date (every start but the first after an upgrade): the schema engine is not loaded at all.
  const pending = await appliedMigrationsDirect(target).then(
    (applied) => pendingOf(target.provider, applied),
    () => null,
  );
  if (pending?.length === 0) {
    await ensureSearchIndexes(target);
    return [];
  }
  const { engine, close } = await openEngine(target);
  let applied: string[];
  try {
    const result = await engine.applyMigrations({ migrationsList: migrationsList(target.provider), filters });
    applied = result.appliedMigrationNames;
  } finally {
    await close();
  }
  await ensureSearchIndexes(target);
  return applied;
}

/**
 * Writes a new migration for `provider` holding the difference between the existing migrations
 * (or, given `fromDatamodel`, that earlier schema text) and the schema, as
 * `prisma migrate dev --create-only` would. Returns its folder, or null when nothing changed.
 */
export async function createMigration(target: DatabaseTarget, name: string, fromDatamodel?: string): Promise<string | null> {
  const { engine, close } = await openEngine(target);
  try {
    const list = migrationsList(target.provider);
    const file = schemaPath[target.provider];
    const { stdout = "" } = await engine.diff({
      from: fromDatamodel
        ? { tag: "schemaDatamodel", files: [{ path: file, content: fromDatamodel }] }
        : list.migrationDirectories.length
          ? { tag: "migrations", ...list }
          : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: file, content: readFileSync(file, "utf8") }] },
      script: true,
      exitCode: null,
      filters,
    });
    if (!stdout.trim() || /^-- This is an empty migration\.?\s*$/.test(stdout.trim())) return null;
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(list.baseDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), stdout);
    const lock = path.join(list.baseDir, "migration_lock.toml");
    if (!existsSync(lock)) {
      writeFileSync(
        lock,
        `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${target.provider}"\n`,
      );
    }
    return dir;
  } finally {
    await close();
  }
}
