// Phase timings of the bulk loader (bench/scale/loader.ts) on a fresh migrated database, no server:
//   npx tsx bench/scale/profile-loader.ts --n 20000 --provider sqlite|postgresql
// Prints ms per phase for the corpus, the row values (sha256 included), the projection, then a whole bulkLoad.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { bindableValues, captureRowValues } from "../../lib/capture/write/rows";
import { migrateDatabase } from "../../lib/db/migrate";
import { ensureSearchIndexes } from "../../lib/db/search-indexes";
import type { DatabaseTarget } from "../../lib/db/target";
import { corpus } from "./corpus";
import { bulkLoad, type LoadTarget, toNewCapture } from "./loader";
import { projectRows } from "./projection";

const { values: args } = parseArgs({
  options: {
    n: { type: "string", default: "20000" },
    provider: { type: "string", default: "sqlite" },
    phases: { type: "boolean", default: false },
    pool: { type: "string", default: "20000" },
  },
});
const N = Number(args.n);
const PG_ADMIN = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-loader-profile-"));
  const pgName = `hookscope_loaderprof_${process.pid}`;
  let target: LoadTarget;
  let db: DatabaseTarget;
  if (args.provider === "postgresql") {
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pgName}`);
    await admin.end();
    const url = new URL(PG_ADMIN);
    url.pathname = `/${pgName}`;
    target = { provider: "postgresql", databaseUrl: url.toString() };
    db = { provider: "postgresql", url: url.toString() };
  } else {
    const file = path.join(dir, "hookscope.db");
    target = { provider: "sqlite", file };
    db = { provider: "sqlite", url: `file:${file}`, file };
  }
  try {
    await migrateDatabase(db);
    await ensureSearchIndexes(db);
    const endpoint = "ep_profile";
    const insertEndpoint = `INSERT INTO "Endpoint" ("id", "token", "name", "ownerKey", "updatedAt") VALUES ('${endpoint}', 'tok_profile', 'profile', 'k', CURRENT_TIMESTAMP)`;
    if (target.file) {
      const d = new Database(target.file);
      d.exec(insertEndpoint);
      d.close();
    } else {
      const c = new pg.Client({ connectionString: target.databaseUrl });
      await c.connect();
      await c.query(insertEndpoint);
      await c.end();
    }
    if (args.phases) {
      const c = corpus(N);
      const m = Math.min(N, 10_000);
      let t = performance.now();
      const reqs = Array.from({ length: m }, () => c.next());
      const gen = performance.now() - t;
      t = performance.now();
      const values = reqs.map((r, i) => captureRowValues(toNewCapture(r, endpoint, Date.now() + i)));
      const rowValues = performance.now() - t;
      t = performance.now();
      for (const v of values) bindableValues(v);
      const sha = performance.now() - t;
      t = performance.now();
      await projectRows(values);
      const projection = performance.now() - t;
      const per = (ms: number) => `${((ms / m) * 1000).toFixed(0)} µs/row`;
      console.log(
        `phases over ${m} rows: corpus ${per(gen)}, captureRowValues ${per(rowValues)}, bindable+sha256 ${per(sha)}, projection ${per(projection)}`,
      );
    }
    const now = Date.now();
    const r = await bulkLoad(target, endpoint, corpus(N), {
      n: N,
      pool: Number(args.pool),
      fromMs: now - 30 * 86_400_000,
      toMs: now - 60_000,
    });
    console.log(
      `bulkLoad ${args.provider}: ${r.rows} rows in ${r.ms} ms = ${r.rowsPerSecond} rows/s${r.phases ? ` ${JSON.stringify(r.phases)}` : ""}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (args.provider === "postgresql") {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
      await admin.end();
    }
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
