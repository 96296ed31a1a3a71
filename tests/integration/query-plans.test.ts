// Query plans of the lookups a capture page makes, on a real SQLite database built by the project's migrations,
// as the planner sees a new database (no sqlite_stat1: the default until PRAGMA optimize has run). Each library call
// runs through a Prisma client that logs its SQL; every statement on "Capture" that names captures by id is then
// EXPLAINed: it must probe the unique id index, never walk the endpoint's (endpointId, seq) index (1.5 s for one
// page at 1.2 M captures). Also: keepPlannerStatistics leaves figures in sqlite_stat1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PrismaClient } from "@/lib/db/generated/sqlite/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { resolveDatabaseTarget } from "@/lib/db/target";
import type { CaptureSummary } from "@/lib/model/capture";

const dir = mkdtempSync(path.join(tmpdir(), "hookscope-plans-"));
const target = resolveDatabaseTarget(undefined, dir) as { provider: "sqlite"; url: string; file: string };
const statements: { sql: string; params: unknown[] }[] = [];
const loggingClient = () =>
  new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: target.url }), log: [{ emit: "event", level: "query" }] });
let client: ReturnType<typeof loggingClient>;
let raw: Database.Database;

const CAPTURES = 3000;

beforeAll(async () => {
  vi.stubEnv("SECRET", "plans-plans-plans-plans-plans-plans-01");
  vi.stubEnv("DATA_DIR", dir);
  await migrateDatabase(target);
  raw = new Database(target.file);
  raw
    .prepare(`INSERT INTO Endpoint (id, token, name, ownerKey, createdAt, updatedAt) VALUES (?, ?, ?, 'own_x', 0, 0)`)
    .run("ep_big", "tok_big", "big");
  raw
    .prepare(`INSERT INTO Endpoint (id, token, name, ownerKey, createdAt, updatedAt) VALUES (?, ?, ?, 'own_x', 0, 0)`)
    .run("ep_other", "tok_other", "other");
  const insert = raw.prepare(
    `INSERT INTO Capture (id, endpointId, receivedAt, method, path, query, httpVersion, headers, body, bodySize, bodySha256, contentType, remoteAddr, rejected, responseStatus, durationMs)
     VALUES (?, ?, ?, 'POST', '', '', '1.1', ?, ?, ?, '0', 'application/json', '127.0.0.1', NULL, 200, 1)`,
  );
  const body = Buffer.from('{"action":"opened"}');
  const headers = JSON.stringify([
    ["Content-Type", "application/json"],
    ["X-GitHub-Event", "issues"],
    ["X-Hub-Signature-256", "sha256=00"],
  ]);
  raw.transaction(() => {
    for (let i = 0; i < CAPTURES; i++) insert.run(`cap_${i}`, i % 10 === 0 ? "ep_other" : "ep_big", Date.now(), headers, body, body.length);
  })();

  const { resetShared, shared } = await import("@/lib/runtime/shared");
  client = loggingClient();
  client.$on("query", (e) => statements.push({ sql: e.query, params: JSON.parse(e.params) as unknown[] }));
  resetShared("db");
  shared("db", () => client);
  // A saved secret, so statuses are computed lazily (the statusesFor lookup of captures without a stored status).
  const { addSecret } = await import("@/lib/signatures/secrets");
  await addSecret("ep_big", { provider: "github", secret: "It's a Secret to Everybody" }, "test");
});

afterAll(async () => {
  await client?.$disconnect();
  raw?.close();
  (await import("@/lib/runtime/shared")).resetShared("db");
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

/** The newest page of ep_big as the list route has it (summaries), for the calls under test. */
async function newestPage(limit = 50): Promise<CaptureSummary[]> {
  const { listCaptures } = await import("@/lib/capture/store");
  const page = await listCaptures("ep_big", { limit });
  expect(page.captures).toHaveLength(limit);
  return page.captures;
}

/** EXPLAIN QUERY PLAN of every logged statement on Capture that names rows by id. */
function capturePlansById(from: number): { sql: string; plan: string }[] {
  return statements
    .slice(from)
    .filter((s) => /FROM [`"]?(main[`"]?\.)?[`"]?Capture[`"]?\s/.test(s.sql) && /[`"]?id[`"]?\s*(IN|=)/.test(s.sql.split(/WHERE/)[1] ?? ""))
    .map((s) => ({
      sql: s.sql,
      plan: (raw.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...(s.params as unknown[])) as { detail: string }[])
        .map((r) => r.detail)
        .join(" | "),
    }));
}

function expectIdIndex(plans: { sql: string; plan: string }[]) {
  expect(plans.length).toBeGreaterThan(0);
  for (const p of plans) {
    expect(p.plan, p.sql).not.toContain("Capture_endpointId_seq_idx");
    expect(p.plan, p.sql).toMatch(/SEARCH (main\.)?Capture USING (INDEX Capture_id_key|INTEGER PRIMARY KEY)/);
  }
}

describe("capture page lookups plan by the unique id (SQLite, no statistics)", () => {
  it("the database has no planner statistics yet (the case that chose the endpoint's index)", () => {
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'`).all()).toEqual([]);
  });

  it("withSignatures (list rows' provider detection) and statusesFor (lazy statuses) probe Capture_id_key", async () => {
    const page = await newestPage();
    const { withSignatures } = await import("@/lib/signatures/summaries");
    const from = statements.length;
    const rows = await withSignatures("ep_big", page, null);
    // Behaviour kept: every row detected, and the lazily computed status present.
    expect(rows.every((r) => r.signature?.provider === "github")).toBe(true);
    expect(rows.every((r) => r.signature?.status === "invalid")).toBe(true);
    const plans = capturePlansById(from);
    // The list's header lookup and statusesFor's stored-capture lookup, at least.
    expect(plans.filter((p) => /IN \(/.test(p.sql)).length).toBeGreaterThanOrEqual(2);
    expectIdIndex(plans);
  });

  it("ids of another endpoint are left out (the scoping the query no longer does)", async () => {
    const { withSignatures } = await import("@/lib/signatures/summaries");
    const page = await newestPage(5);
    const foreign = { ...page[0]!, id: "cap_0" }; // cap_0 belongs to ep_other
    const rows = await withSignatures("ep_big", [foreign, ...page.slice(1)], null);
    expect(rows[0]!.signature).toBeUndefined();
    expect(rows.slice(1).every((r) => r.signature?.provider === "github")).toBe(true);
  });

  it("single-capture lookups scoped by endpoint or principal also probe the id index", async () => {
    const from = statements.length;
    const { signatureForCapture } = await import("@/lib/signatures/summaries");
    const { getCaptureOfEndpoint, getCapture } = await import("@/lib/capture/store");
    const { captureAccess } = await import("@/lib/endpoints/access");
    const principal = { kind: "anonymous", roles: new Map(), ownerKey: "own_x", userId: null, tokenId: null, label: "anonymous" } as const;
    expect(await signatureForCapture("ep_big", { id: "cap_2999", bodySize: 19 }, null)).not.toBeNull();
    expect((await getCaptureOfEndpoint("ep_big", "cap_2999")).id).toBe("cap_2999");
    expect((await getCapture(principal as never, "cap_2999")).id).toBe("cap_2999");
    expect((await captureAccess(principal as never, "cap_2999", "capture.read")).endpointId).toBe("ep_big");
    expectIdIndex(capturePlansById(from));
  });

  it("keepPlannerStatistics analyses the tables (sqlite_stat1 gets the Capture indexes)", async () => {
    const { keepPlannerStatistics } = await import("@/lib/db/client");
    const stop = await keepPlannerStatistics(client as never, target);
    stop();
    const stats = raw.prepare(`SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'Capture'`).all() as { idx: string; stat: string }[];
    expect(stats.map((s) => s.idx).sort()).toEqual(["Capture_endpointId_seq_idx", "Capture_id_key"]);
    expect(stats.find((s) => s.idx === "Capture_id_key")!.stat).toBe(`${CAPTURES} 1`);
  });
});
