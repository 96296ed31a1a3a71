// npm run bench:projection: where the write path's per-capture microseconds and bytes go (issue 16's search
// projection). Times each step of lib/search/projection.ts on the `npm run bench` body, then the write
// worker's insert (sqliteCaptureInserter) with and without the projection, and the FTS indexer's batch, on a
// fresh database. Not part of the test suite; figures in docs/architecture.md ("Search projection").
import { readdirSync, readFileSync, rmSync, statSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { captureRowValues, type CaptureRowValues, type SearchRowValues } from "../lib/capture/write/rows";
import { SearchIndexer } from "../lib/capture/write/search-indexer";
import { sqliteCaptureInserter } from "../lib/capture/write/sqlite-insert";
import { zlibCodecs } from "../lib/capture/decode";
import { detectProvider } from "../lib/signatures/detect";
import { searchDocOf } from "../lib/search/build-doc";
import { projectionColumnsOf } from "../lib/search/projection-row";
import { searchRowOf, storedCaptureOfRow } from "../lib/search/projection";

const N = Number(process.env.PROFILE_N ?? 20000);
const BATCH = 64;
const body = Buffer.from(
  JSON.stringify({
    id: "evt_1",
    type: "invoice.paid",
    data: {
      object: {
        id: "in_1",
        amount: 4200,
        currency: "usd",
        lines: Array.from({ length: 8 }, (_, i) => ({ id: `il_${i}`, amount: 525, description: "Pro plan seat" })),
      },
    },
  }).padEnd(1024, " "),
);
const headers: [string, string][] = [
  ["Host", "127.0.0.1:3000"],
  ["Content-Length", "1024"],
  ["content-type", "application/json"],
  ["x-bench", "1"],
];
const row = (i: number): CaptureRowValues =>
  captureRowValues({
    id: `cap_${i.toString(36).padStart(12, "0")}`,
    endpointId: "ep_1",
    receivedAt: Date.now(),
    method: "POST",
    path: "",
    query: "",
    httpVersion: "1.1",
    headers,
    body,
    bodySize: body.length,
    bodySha256: null,
    contentType: "application/json",
    remoteAddr: "127.0.0.1",
    rejected: null,
    responseStatus: 200,
    durationMs: 0,
  });

async function time(label: string, n: number, f: (i: number) => unknown | Promise<unknown>) {
  for (let i = 0; i < Math.min(n, 2000); i++) await f(i); // warm-up
  const t = performance.now();
  for (let i = 0; i < n; i++) await f(i);
  const us = ((performance.now() - t) * 1000) / n;
  console.log(`${label.padEnd(48)} ${us.toFixed(1).padStart(7)} µs/capture`);
  return us;
}

const rows = Array.from({ length: N }, (_, i) => row(i));
const stored = storedCaptureOfRow(rows[0]!);
await time("headers JSON.parse (storedCaptureOfRow)", N, (i) => storedCaptureOfRow(rows[i]!));
await time("detectProvider", N, () => detectProvider(stored.headers, stored.body));
const extras = { sig: "unknown" as const, provider: null, event: null, delivery: null, codecs: zlibCodecs };
await time("searchDocOf (decode, utf8, sniff, JSON.parse)", N, () => searchDocOf(stored, extras));
const doc = await searchDocOf(stored, extras);
await time("projectionColumnsOf (head text, JSON re-encode)", N, () => projectionColumnsOf(doc));
await time("searchRowOf (all of the above)", N, (i) => searchRowOf(rows[i]!));

function migrate(file: string) {
  const db = new Database(file);
  const dir = path.resolve(import.meta.dirname, "../prisma/migrations");
  for (const m of readdirSync(dir)
    .filter((d) => !d.endsWith(".toml"))
    .sort())
    db.exec(readFileSync(path.join(dir, m, "migration.sql"), "utf8"));
  db.close();
}

async function insertRun(label: string, withSearch: boolean, search: SearchRowValues[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hookscope-profile-"));
  const file = path.join(dir, "hookscope.db");
  try {
    migrate(file);
    const ins = sqliteCaptureInserter(file, {
      busyTimeoutMs: 10_000,
      pragmas: ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = OFF"],
      syncsItself: false,
      autocheckpointPages: 1_000_000,
    });
    const t = performance.now();
    for (let i = 0; i < N; i += BATCH) ins.insert(rows.slice(i, i + BATCH), withSearch ? search.slice(i, i + BATCH) : undefined);
    const us = ((performance.now() - t) * 1000) / N;
    const wal = statSync(`${file}-wal`).size;
    ins.close();
    const d = new Database(file);
    d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const size = statSync(file).size;
    const tables = d.prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`).all() as {
      name: string;
      bytes: number;
    }[];
    d.close();
    console.log(
      `${label.padEnd(48)} ${us.toFixed(1).padStart(7)} µs/capture, WAL ${(wal / N).toFixed(0)} B/capture, file ${(size / N).toFixed(0)} B/capture`,
    );
    for (const t of tables.slice(0, 6)) console.log(`    ${t.name.padEnd(40)} ${(t.bytes / N).toFixed(0)} B/capture`);
    if (withSearch) {
      const ix = new SearchIndexer(file);
      const t2 = performance.now();
      const n = ix.catchUp();
      console.log(
        `${"FTS indexer (trigram, search file)".padEnd(48)} ${(((performance.now() - t2) * 1000) / n).toFixed(1).padStart(7)} µs/capture, search file ${(statSync(path.join(dir, "hookscope-search.db")).size / N).toFixed(0)} B/capture`,
      );
      ix.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const search = await Promise.all(rows.map(searchRowOf));
console.log(`projection row: text ${search[0]![0].length} chars, json ${String(search[0]![6]).length} chars`);
await insertRun("insert Capture only (batches of 64)", false, search);
await insertRun("insert Capture + CaptureSearch (batches of 64)", true, search);
