// Times the capture list's newest page on a large scratch SQLite database (not part of the test suite):
//   tsx bench/capture-page-plan.ts [captures=1200000] [dir=/tmp/hookscope-page-plan]
// Seeds one endpoint with `captures` rows (once; a later run reuses the file), then times, on a fresh Prisma client
// with no planner statistics (a new or never-optimized database) and again after keepPlannerStatistics:
//   - the list query (listCaptures, limit 50),
//   - withSignatures over that page (detection + lazy statuses: the lookups by id),
//   - the two lookup shapes in plain SQL: `id IN (…) AND endpointId = ?` (before) and `id IN (…)` (after).
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../lib/db/generated/sqlite/client";
import { migrateDatabase } from "../lib/db/migrate";
import { resolveDatabaseTarget } from "../lib/db/target";

const total = Number(process.argv[2] ?? 1_200_000);
const dir = process.argv[3] ?? "/tmp/hookscope-page-plan";
mkdirSync(dir, { recursive: true });
process.env.DATA_DIR = dir;
process.env.SECRET ??= "page-plan-page-plan-page-plan-page-plan";
process.env.LOG_LEVEL ??= "warn";
const target = resolveDatabaseTarget(undefined, dir) as { provider: "sqlite"; url: string; file: string };

async function seed() {
  await migrateDatabase(target);
  const raw = new Database(target.file);
  raw.pragma("journal_mode = WAL");
  raw
    .prepare(
      `INSERT OR IGNORE INTO Endpoint (id, token, name, ownerKey, createdAt, updatedAt) VALUES ('ep_big', 'tok_big', 'big', 'own_x', 0, 0)`,
    )
    .run();
  const have = (raw.prepare(`SELECT count(*) AS n FROM Capture`).get() as { n: number }).n;
  const insert = raw.prepare(
    `INSERT INTO Capture (id, endpointId, receivedAt, method, path, query, httpVersion, headers, body, bodySize, bodySha256, contentType, remoteAddr, rejected, responseStatus, durationMs)
     VALUES (?, 'ep_big', ?, 'POST', '/hook', '', '1.1', ?, ?, ?, '0', 'application/json', '127.0.0.1', NULL, 200, 1)`,
  );
  const headers = JSON.stringify([
    ["Content-Type", "application/json"],
    ["X-GitHub-Event", "issues"],
    ["X-GitHub-Delivery", "d"],
    ["X-Hub-Signature-256", "sha256=00"],
  ]);
  const body = Buffer.from(JSON.stringify({ action: "opened", issue: { title: "x".repeat(200) } }));
  const batch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(`cap_${i}`, Date.now(), headers, body, body.length);
  });
  const started = performance.now();
  for (let i = have; i < total; i += 20_000) batch(i, Math.min(total, i + 20_000));
  if (have < total) console.log(`seeded ${total - have} captures in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  raw.exec("DROP TABLE IF EXISTS sqlite_stat1"); // start from no statistics, as a new database does
  raw.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(label: string, runs: number, fn: () => Promise<unknown>) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  console.log(`${label.padEnd(58)} median ${median(ms).toFixed(1).padStart(8)} ms (${runs} runs)`);
}

async function measure(client: PrismaClient, when: string) {
  const { listCaptures } = await import("../lib/capture/store");
  const { withSignatures } = await import("../lib/signatures/summaries");
  const page = (await listCaptures("ep_big", { limit: 50 })).captures;
  const ids = page.map((c) => c.id);
  console.log(`-- ${when}`);
  await time("listCaptures limit 50", 5, () => listCaptures("ep_big", { limit: 50 }));
  await time("withSignatures (newest page of 50)", 5, () => withSignatures("ep_big", page, null));
  await time("listCaptures limit 1", 5, () => listCaptures("ep_big", { limit: 1 }));
  await time("SQL: id IN (50) AND endpointId = ?  (the old lookup)", 3, () =>
    client.capture.findMany({ where: { id: { in: ids }, endpointId: "ep_big" }, select: { id: true } }),
  );
  await time("SQL: id IN (50)  (the new lookup)", 5, () =>
    client.capture.findMany({ where: { id: { in: ids } }, select: { id: true, endpointId: true } }),
  );
}

await seed();
const { resetShared, shared } = await import("../lib/runtime/shared");
const client = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: target.url }) });
resetShared("db");
shared("db", () => client);
await measure(client, `${total} captures, no planner statistics`);
const { keepPlannerStatistics } = await import("../lib/db/client");
const t = performance.now();
const stop = await keepPlannerStatistics(client as never, target);
stop();
console.log(`keepPlannerStatistics (PRAGMA optimize, first run): ${(performance.now() - t).toFixed(0)} ms`);
await measure(client, "after PRAGMA optimize");
await client.$disconnect();
console.log(`database: ${path.join(dir, "hookscope.db")}`);
