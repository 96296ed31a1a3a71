// Derives prisma/postgres/schema.prisma from the one model source (prisma/schema.prisma).
// Only the datasource provider and the generated client's output folder differ.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The PostgreSQL schema text for a SQLite model source text. */
export function derivePostgresSchema(source) {
  const derived = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../lib/db/generated/sqlite"', 'output       = "../../lib/db/generated/postgres"')
    .replace(
      /^\/\/ The one model source[\s\S]*?\n\n/,
      "// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs. Do not edit.\n\n",
    );
  if (derived === source || !derived.includes('"postgresql"') || !derived.includes("generated/postgres")) {
    throw new Error("prisma-schemas: prisma/schema.prisma no longer matches the expected provider/output lines");
  }
  return derived;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const derived = derivePostgresSchema(readFileSync(join(root, "prisma/schema.prisma"), "utf8"));
  mkdirSync(join(root, "prisma/postgres"), { recursive: true });
  writeFileSync(join(root, "prisma/postgres/schema.prisma"), derived);
}
