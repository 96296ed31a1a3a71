// The write worker's tail of unprojected captures (lib/capture/write/search-tail.ts) on a real SQLite file with the
// migrations' schema: commits without their projection open the tail at their first seq; requests and answers
// (as the projection thread gives them) move it on in seq order, also when captures commit between a request and
// its answer; a row the database refuses gets the minimal projection; the tail is found again from the two maxima
// after a restart; before any projection row exists nothing is deferred.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CaptureRowValues, captureRowValues, type SearchRowValues } from "@/lib/capture/write/rows";
import type { Projector } from "@/lib/capture/write/search-backfill";
import { SearchTail } from "@/lib/capture/write/search-tail";
import { sqliteCaptureInserter, type SqliteCaptureInserter } from "@/lib/capture/write/sqlite-insert";
import { fallbackSearchRow, searchProjector } from "@/lib/search/projection";

let dir: string;
let ins: SqliteCaptureInserter;
let n = 0;

const row = (body: string): CaptureRowValues =>
  captureRowValues({
    id: `cap_${++n}`,
    endpointId: "ep",
    receivedAt: 1_764_000_000_000 + n,
    method: "POST",
    path: "/t",
    query: "",
    httpVersion: "1.1",
    headers: [["content-type", "application/json"]],
    body: Buffer.from(body),
    bodySize: body.length,
    bodySha256: null,
    contentType: "application/json",
    remoteAddr: "127.0.0.1",
    rejected: null,
    responseStatus: 200,
    durationMs: 0,
  });

const projected = () =>
  ins.db.prepare(`SELECT "seq", "bodyType", json("json") AS "json" FROM "CaptureSearch" ORDER BY "seq"`).all() as {
    seq: number;
    bodyType: string;
    json: string | null;
  }[];

/** Answers a request as the projection thread does (search-project-worker.ts), with `project`. */
async function answer(tail: SearchTail, project: Projector["project"] = searchProjector.project) {
  const asked = tail.request(2)!;
  const found = ins.db.prepare(`SELECT * FROM "Capture" WHERE "seq" >= ? ORDER BY "seq" LIMIT ?`).all(asked.from, asked.limit) as {
    seq: number;
  }[];
  const rows = ins.db
    .prepare(
      `SELECT ${["id", "endpointId", "receivedAt", "method", "path", "query", "httpVersion", "headers", "body", "bodySize", "bodySha256", "contentType", "remoteAddr", "rejected", "responseStatus", "durationMs"].map((c) => `"${c}"`).join(", ")} FROM "Capture" WHERE "seq" >= ? ORDER BY "seq" LIMIT ?`,
    )
    .raw()
    .all(asked.from, asked.limit) as CaptureRowValues[];
  return { asked, reply: { seqs: found.map((r) => r.seq), search: await project(rows) } };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-tail-"));
  const file = path.join(dir, "hookscope.db");
  const db = new Database(file);
  const mig = path.resolve(import.meta.dirname, "../../prisma/migrations");
  for (const m of readdirSync(mig)
    .filter((d) => !d.endsWith(".toml"))
    .sort())
    db.exec(readFileSync(path.join(mig, m, "migration.sql"), "utf8"));
  db.prepare(`INSERT INTO "Endpoint" ("id", "token", "name", "ownerKey", "updatedAt") VALUES ('ep', 't', 'n', 'o', 0)`).run();
  db.close();
  ins = sqliteCaptureInserter(file, {
    busyTimeoutMs: 1000,
    pragmas: ["PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON"],
    syncsItself: false,
    autocheckpointPages: 1000,
  });
});
afterEach(() => {
  ins.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SearchTail", () => {
  it("defers nothing before the first projection row, then follows deferred commits in seq order", async () => {
    const tail = new SearchTail(ins.db, searchProjector);
    expect(tail.canDefer).toBe(false);
    const first = [row('{"a":1}')];
    tail.committed(ins.insert(first, await searchProjector.project(first)), true);
    expect(tail.canDefer).toBe(true);
    expect(tail.pending).toBe(false);

    const seqs = ins.insert([row('{"a":2}'), row('{"a":3}'), row('{"a":4}')]);
    tail.committed(seqs, false);
    expect(tail.pending).toBe(true);
    expect(tail.size).toBe(3);

    // A request for 2 rows; a capture commits (deferred) before the answer is applied.
    const { asked, reply } = await answer(tail);
    tail.committed(ins.insert([row('{"a":5}')]), false);
    tail.apply(asked, reply);
    expect(tail.pending).toBe(true);
    expect(tail.size).toBe(2);
    // The rest: fewer than asked, but the capture committed meanwhile is in this read.
    const second = await answer(tail);
    tail.apply(second.asked, second.reply);
    expect(tail.pending).toBe(false);
    expect(projected().map((r) => [r.seq, r.json])).toEqual([
      [1, '{"a":1}'],
      [2, '{"a":2}'],
      [3, '{"a":3}'],
      [4, '{"a":4}'],
      [5, '{"a":5}'],
    ]);
  });

  it("gives a row the database refuses the minimal projection, and moves on", async () => {
    const tail = new SearchTail(ins.db, { project: searchProjector.project, fallback: fallbackSearchRow });
    const first = [row("{}")];
    tail.committed(ins.insert(first, await searchProjector.project(first)), true);
    tail.committed(ins.insert([row('{"ok":1}'), row('{"bad":1}')]), false);
    // A projection whose json the database refuses (jsonb() of text that is not JSON).
    const broken = async (rows: readonly CaptureRowValues[]): Promise<SearchRowValues[]> =>
      (await searchProjector.project(rows)).map((s, i) => (i === 1 ? ([...s.slice(0, 6), "not json", null] as SearchRowValues) : s));
    const { asked, reply } = await answer(tail, broken);
    tail.apply(asked, reply);
    expect(tail.pending).toBe(false);
    expect(projected().map((r) => [r.seq, r.bodyType, r.json])).toEqual([
      [1, "json", "{}"],
      [2, "json", '{"ok":1}'],
      [3, "binary", null],
    ]);
  });

  it("finds the tail again after a restart: every seq above the highest projected", async () => {
    const first = [row("{}")];
    ins.insert(first, await searchProjector.project(first));
    ins.insert([row("{}"), row("{}")]);
    const tail = new SearchTail(ins.db, searchProjector);
    expect(tail.pending).toBe(true);
    expect(tail.size).toBe(2);
    expect(await tail.step()).toBe(2);
    expect(tail.pending).toBe(false);
    expect(projected()).toHaveLength(3);
  });
});
