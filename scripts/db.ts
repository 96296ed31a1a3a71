// npm run db:migrate            apply pending migrations to the configured database
// npm run db:new-migration NAME author a migration for both providers from prisma/schema.prisma
//                                (needs PostgreSQL at DATABASE_URL_PG_SCRATCH, default
//                                postgres://postgres@127.0.0.1:5432/postgres, to diff against)
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createMigration, migrateDatabase } from "../lib/db/migrate";
import { databaseTarget } from "../lib/db/client";
import { resolveDatabaseTarget } from "../lib/db/target";

async function main() {
  const [command, name] = process.argv.slice(2);
  if (command === "migrate") {
    const target = databaseTarget();
    const applied = await migrateDatabase(target);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : `${target.provider}: already up to date`);
    return;
  }
  if (command === "new" && name && /^[a-z0-9_]+$/.test(name)) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-migrate-"));
    try {
      const sqlite = resolveDatabaseTarget(`file:${path.join(dir, "scratch.db")}`, dir);
      await migrateDatabase(sqlite);
      console.log("sqlite:", (await createMigration(sqlite, name)) ?? "no changes");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const admin = process.env.DATABASE_URL_PG_SCRATCH ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const scratch = `hookscope_scratch_${process.pid}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${scratch}`);
    try {
      const url = new URL(admin);
      url.pathname = `/${scratch}`;
      const target = resolveDatabaseTarget(url.toString(), "");
      await migrateDatabase(target);
      console.log("postgresql:", (await createMigration(target, name)) ?? "no changes");
    } finally {
      await client.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
      await client.end();
    }
    return;
  }
  console.error("usage: tsx scripts/db.ts migrate | new <name_in_snake_case>");
  process.exit(2);
}

// Exit explicitly: the pg driver's pool would otherwise keep the process alive until its idle
// connections time out.
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
