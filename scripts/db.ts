// npm run db:migrate            apply pending migrations to the configured database
// npm run db:new-migration NAME author the next migration for both providers from
//                                prisma/schema.prisma. SQLite: diffed against its migrations
//                                replayed into a scratch database. PostgreSQL: the WASM engine
//                                cannot describe a live PostgreSQL schema through the driver
//                                adapter, so it is diffed datamodel to datamodel against the
//                                schema committed at HEAD (commit schema and migrations together);
//                                it connects to DATABASE_URL_PG_SCRATCH (default: the local
//                                postgres database) without writing to it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createMigration, migrateDatabase } from "../lib/db/migrate";
import { databaseTarget } from "../lib/db/client";
import { resolveDatabaseTarget } from "../lib/db/target";
// @ts-expect-error plain ESM helper without types
import { derivePostgresSchema } from "./prisma-schemas.mjs";

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
      const previous = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" });
      // The engine connects on start even for a datamodel-to-datamodel diff; nothing is written.
      const postgres = resolveDatabaseTarget(process.env.DATABASE_URL_PG_SCRATCH ?? "postgres://postgres@127.0.0.1:5432/postgres", dir);
      console.log("postgresql:", (await createMigration(postgres, name, derivePostgresSchema(previous) as string)) ?? "no changes");
    } finally {
      rmSync(dir, { recursive: true, force: true });
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
