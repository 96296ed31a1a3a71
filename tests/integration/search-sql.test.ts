// The HQL → SQL compiler on real SQLite (FTS5 trigram) and PostgreSQL (jsonb, ILIKE) over a hand-made
// fixture: every condition it emits is valid SQL on both, the superset holds every expected match, and an
// `exact` condition selects exactly the expected rows. (The agreement with the in-memory evaluator over a
// generated corpus and the server's own tables is in search-api.test.ts.)
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndexer } from "@/lib/capture/write/search-indexer";
import { searchIndexFile } from "@/lib/db/search-indexes";
import type { FieldRef, Interval, Node, Query, Value } from "@/lib/search/hql/ast";
import { compile } from "@/lib/search/sql/compile";
import { FROM_SEARCH } from "@/lib/search/sql/columns";
import { render } from "@/lib/search/sql/fragment";
import { PG_ADMIN_URL, providers } from "../helpers/server";

const span = { start: 0, end: 0 };
const s = (text: string, glob = false): Value => ({ kind: "string", text, glob });
const n = (x: number): Value => ({ kind: "number", n: x, text: String(x) });
const text = (t: string): Node => ({ kind: "text", text: t, span });
const eq = (field: FieldRef, ...values: Value[]): Node => ({ kind: "field", field, predicate: { op: "eq", values }, span });
const range = (field: FieldRef, interval: Interval): Node => ({ kind: "field", field, predicate: { op: "range", interval }, span });
const cidr = (c: string): Node => ({ kind: "field", field: { name: "ip" }, predicate: { op: "cidr", cidr: c }, span });
const has = (field: FieldRef): Node => ({ kind: "has", field, span });
const not = (child: Node): Node => ({ kind: "not", child, span });
const and = (...children: Node[]): Node => ({ kind: "and", children, span });
const or = (...children: Node[]): Node => ({ kind: "or", children, span });
const q = (root: Node): Query => ({ version: 1, source: "", root });
const json = (...path: (string | number | "[]")[]): FieldRef => ({
  name: "json",
  path: path.map((p) => (p === "[]" ? { any: true as const } : typeof p === "number" ? { index: p } : { key: p })),
});

interface Row {
  seq: number;
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  body: string;
  bodyType: string;
  json: unknown;
  status: number;
  size: number;
  received: number;
  ip: string;
  rejected: string | null;
  provider: string | null;
  event: string | null;
  sig: string | null;
  endpointId: string;
}

const ROWS: Row[] = [
  {
    seq: 1,
    method: "POST",
    path: "/hooks/stripe",
    query: "",
    headers: [
      ["Stripe-Signature", "t=1,v1=ab"],
      ["Content-Type", "application/json"],
    ],
    body: '{"type":"invoice.paid","data":{"object":{"amount":1500}}}',
    bodyType: "json",
    json: { type: "invoice.paid", data: { object: { amount: 1500 } } },
    status: 200,
    size: 58,
    received: 1_000,
    ip: "203.0.113.7",
    rejected: null,
    provider: "stripe",
    event: "invoice.paid",
    sig: "valid",
    endpointId: "ep_a",
  },
  {
    seq: 2,
    method: "POST",
    path: "/gh",
    query: "x=1",
    headers: [
      ["X-GitHub-Event", "push"],
      ["Content-Type", "application/json"],
    ],
    body: '{"repository":{"full_name":"acme/api"},"commits":[{"id":"c1"},{"id":"c2"}]}',
    bodyType: "json",
    json: { repository: { full_name: "acme/api" }, commits: [{ id: "c1" }, { id: "c2" }] },
    status: 200,
    size: 70,
    received: 2_000,
    ip: "198.51.100.2",
    rejected: null,
    provider: "github",
    event: "push",
    sig: null,
    endpointId: "ep_a",
  },
  {
    seq: 3,
    method: "PUT",
    path: "/other",
    query: "",
    headers: [["Authorization", "Bearer tok"]],
    body: "request timeout happened Ünïcode",
    bodyType: "text",
    json: null,
    status: 503,
    size: 24,
    received: 3_000,
    ip: "::ffff:203.0.113.9",
    rejected: null,
    provider: null,
    event: null,
    sig: null,
    endpointId: "ep_a",
  },
  {
    seq: 4,
    method: "POST",
    path: "/big",
    query: "",
    headers: [],
    body: "",
    bodyType: "empty",
    json: null,
    status: 413,
    size: 0,
    received: 4_000,
    ip: "2001:db8::1",
    rejected: "body_too_large",
    provider: null,
    event: null,
    sig: null,
    endpointId: "ep_a",
  },
  {
    seq: 5,
    method: "post",
    path: "/hooks/stripe",
    query: "",
    headers: [["Stripe-Signature", "t=2,v1=cd"]],
    body: '{"type":"invoice.created","data":{"object":{"amount":"999"}}}',
    bodyType: "json",
    json: { type: "invoice.created", data: { object: { amount: "999" } } },
    status: 200,
    size: 60,
    received: 5_000,
    ip: "10.0.0.1",
    rejected: null,
    provider: "stripe",
    event: "invoice.created",
    sig: "invalid",
    endpointId: "ep_b",
  },
];

const textOf = (r: Row) => `${r.path}\n${r.query}\n${r.headers.map(([k, v]) => `${k}: ${v}\n`).join("")}${r.body}`;
const bodyStart = (r: Row) => textOf(r).length - r.body.length;

// [name, query, expected seqs (over ep_a and ep_b)]
const CASES: [string, Node, number[]][] = [
  ["bare text ≥ 3 (FTS)", text("timeout"), [3]],
  ["bare text < 3 (LIKE)", text("c2"), [2]],
  ["bare text case-insensitive", text("ACME"), [2]],
  ["bare text outside ASCII folds as JavaScript does", text("üNÏCODE"), [3]],
  ["LIKE wildcards are literals", text("%"), []],
  ["method exact, case folded", eq({ name: "method" }, s("post")), [1, 2, 4, 5]],
  ["method list", eq({ name: "method" }, s("PUT"), s("GET")), [3]],
  ["path glob", eq({ name: "path" }, s("/hooks/*", true)), [1, 5]],
  ["path whole value", eq({ name: "path" }, s("/hooks")), []],
  ["header name case-insensitive", eq({ name: "header", key: "x-github-event" }, s("push")), [2]],
  ["header whole value", eq({ name: "header", key: "x-github-event" }, s("pus")), []],
  ["has header", has({ name: "header", key: "authorization" }), [3]],
  ["json string", eq(json("repository", "full_name"), s("acme/api")), [2]],
  ["json string case-insensitive", eq(json("repository", "full_name"), s("ACME/API")), [2]],
  ["json number range", range(json("data", "object", "amount"), { min: 1000, minInclusive: true }), [1]],
  ["json any element", eq(json("commits", "[]", "id"), s("c2")), [2]],
  ["json index", eq(json("commits", 1, "id"), s("c2")), [2]],
  ["has json", has(json("data", "object")), [1, 5]],
  ["status range", range({ name: "status" }, { min: 500, minInclusive: true }), [3]],
  ["status eq", eq({ name: "status" }, n(413)), [4]],
  ["size", range({ name: "size" }, { max: 30, maxInclusive: false }), [3, 4]],
  ["received range", range({ name: "received" }, { min: 2_000, minInclusive: true, max: 3_000, maxInclusive: true }), [2, 3]],
  ["rejected true", eq({ name: "rejected" }, { kind: "boolean", b: true }), [4]],
  ["rejected reason", eq({ name: "rejected" }, s("body_too_large")), [4]],
  ["provider + event glob", and(eq({ name: "provider" }, s("stripe")), eq({ name: "event" }, s("invoice.*", true))), [1, 5]],
  ["-sig:valid (no row = unknown)", not(eq({ name: "sig" }, s("valid"))), [2, 3, 4, 5]],
  ["sig unknown", eq({ name: "sig" }, s("unknown")), [2, 3, 4]],
  ["type", eq({ name: "type" }, s("json")), [1, 2, 5]],
  // The per-endpoint field indexes' shapes (COLLATE NOCASE / lower()): case-insensitive, globs by their prefix.
  ["type in capitals", eq({ name: "type" }, s("JSON")), [1, 2, 5]],
  ["provider in capitals", eq({ name: "provider" }, s("Stripe")), [1, 5]],
  ["NOT provider (no provider = not stripe)", not(eq({ name: "provider" }, s("stripe"))), [2, 3, 4]],
  ["event glob in capitals", eq({ name: "event" }, s("INVOICE.*", true)), [1, 5]],
  ["event glob inside", eq({ name: "event" }, s("inv*paid", true)), [1]],
  ["event glob leading star", eq({ name: "event" }, s("*.created", true)), [5]],
  ["event list", eq({ name: "event" }, s("push"), s("invoice.paid")), [1, 2]],
  ["ip CIDR v4 (mapped too)", cidr("203.0.113.0/24"), [1, 3]],
  ["ip CIDR v6", cidr("2001:db8::/32"), [4]],
  ["OR", or(text("timeout"), range({ name: "status" }, { min: 500, minInclusive: true })), [3]],
  ["NOT over a loose leaf", not(eq(json("repository", "full_name"), s("acme/api"))), [1, 3, 4, 5]],
  ["NOT text", not(text("invoice")), [2, 3, 4]],
  ["endpoint by alias", eq({ name: "endpoint" }, s("bee")), [5]],
  ["unknown endpoint", eq({ name: "endpoint" }, s("nope")), []],
];

const ENDPOINTS = [
  { id: "ep_a", alias: null },
  { id: "ep_b", alias: "bee" },
];

type Run = (where: string, params: unknown[]) => Promise<number[]>;

describe.each(await providers())("HQL → SQL on %s", (provider) => {
  let run: Run;
  let close = async () => {};

  beforeAll(async () => {
    if (provider === "sqlite") {
      // A file, not :memory:: the search index thread's indexer opens the search file and ATTACHes this one.
      const dir = mkdtempSync(path.join(os.tmpdir(), "hql-sql-"));
      const mainFile = path.join(dir, "t.db");
      const d = new Database(mainFile);
      d.exec(`CREATE TABLE "Capture" ("seq" INTEGER PRIMARY KEY, "id" TEXT, "endpointId" TEXT, "method" TEXT, "path" TEXT, "query" TEXT,
        "responseStatus" INTEGER, "bodySize" INTEGER, "receivedAt" BIGINT, "remoteAddr" TEXT, "rejected" TEXT);
        CREATE TABLE "CaptureSearch" ("seq" INTEGER PRIMARY KEY, "endpointId" TEXT, "text" TEXT, "bodyStart" INTEGER, "bodyType" TEXT,
        "provider" TEXT, "event" TEXT, "delivery" TEXT, "json" JSONB, "form" TEXT);
        CREATE TABLE "SignatureCheck" ("captureId" TEXT PRIMARY KEY, "status" TEXT);`);
      // The first half indexed by the write worker's indexer, the second above its watermark (read with LIKE):
      // every case runs over both.
      const half = Math.ceil(ROWS.length / 2);
      for (const [i, r] of ROWS.entries()) {
        if (i === half) {
          const indexer = new SearchIndexer(mainFile);
          expect(indexer.catchUp()).toBe(half);
          indexer.close();
          d.prepare(`ATTACH DATABASE ? AS "search"`).run(searchIndexFile(mainFile));
        }
        d.prepare(`INSERT INTO "Capture" VALUES (?,?,?,?,?,?,?,?,?,?,?)`).run(
          r.seq,
          `cap_${r.seq}`,
          r.endpointId,
          r.method,
          r.path,
          r.query,
          r.status,
          r.size,
          r.received,
          r.ip,
          r.rejected,
        );
        d.prepare(`INSERT INTO "CaptureSearch" VALUES (?,?,?,?,?,?,?,?,?,?)`).run(
          r.seq,
          r.endpointId,
          textOf(r),
          bodyStart(r),
          r.bodyType,
          r.provider,
          r.event,
          null,
          r.json === null ? null : JSON.stringify(r.json),
          null,
        );
        if (r.sig) d.prepare(`INSERT INTO "SignatureCheck" VALUES (?, ?)`).run(`cap_${r.seq}`, r.sig);
      }
      run = async (where, params) =>
        (d.prepare(`SELECT c."seq" FROM ${FROM_SEARCH} WHERE ${where} ORDER BY c."seq"`).all(...params) as { seq: number }[]).map(
          (r) => r.seq,
        );
      close = async () => {
        d.close();
      };
    } else {
      const name = `hookscope_hqlsql_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      await c.query(`CREATE TABLE "Capture" ("seq" INTEGER PRIMARY KEY, "id" TEXT, "endpointId" TEXT, "method" TEXT, "path" TEXT, "query" TEXT,
        "responseStatus" INTEGER, "bodySize" INTEGER, "receivedAt" BIGINT, "remoteAddr" TEXT, "rejected" TEXT);
        CREATE TABLE "CaptureSearch" ("seq" INTEGER PRIMARY KEY, "endpointId" TEXT, "text" TEXT, "bodyStart" INTEGER, "bodyType" TEXT,
        "provider" TEXT, "event" TEXT, "delivery" TEXT, "json" JSONB, "form" TEXT);
        CREATE TABLE "SignatureCheck" ("captureId" TEXT PRIMARY KEY, "status" TEXT);`);
      for (const r of ROWS) {
        await c.query(`INSERT INTO "Capture" VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`, [
          r.seq,
          `cap_${r.seq}`,
          r.endpointId,
          r.method,
          r.path,
          r.query,
          r.status,
          r.size,
          r.received,
          r.ip,
          r.rejected,
        ]);
        await c.query(`INSERT INTO "CaptureSearch" VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`, [
          r.seq,
          r.endpointId,
          textOf(r),
          bodyStart(r),
          r.bodyType,
          r.provider,
          r.event,
          null,
          r.json === null ? null : JSON.stringify(r.json),
          null,
        ]);
        if (r.sig) await c.query(`INSERT INTO "SignatureCheck" VALUES ($1, $2)`, [`cap_${r.seq}`, r.sig]);
      }
      run = async (where, params) =>
        (await c.query(`SELECT c."seq" FROM ${FROM_SEARCH} WHERE ${where} ORDER BY c."seq"`, params)).rows.map((r) => r.seq as number);
      close = async () => {
        await c.end();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      };
    }
  });
  afterAll(() => close());

  it.each(CASES)("%s", async (_name, root, expected) => {
    const { where, sure, exact } = compile(q(root), provider, { endpoints: ENDPOINTS });
    const { text: sqlText, params } = render(where, provider);
    const got = await run(sqlText, params);
    // The superset holds every match; `sure` only matches; exact = the superset is the answer.
    expect(got).toEqual(expect.arrayContaining(expected));
    const certain = render(sure, provider);
    expect(expected).toEqual(expect.arrayContaining(await run(certain.text, certain.params)));
    if (exact) expect(got).toEqual(expected);
    if (process.env.SHOW_SQL) console.log(provider, _name, exact, JSON.stringify(got), sqlText);
  });

  it("masked mode: NOT over a maskable part never narrows; a literal that could meet a mask mark is undecided", async () => {
    const notAuth = compile(q(not(text("tok"))), provider, { masked: true });
    expect(notAuth.exact).toBe(false);
    const r = render(notAuth.where, provider);
    expect(await run(r.text, r.params)).toEqual([1, 2, 3, 4, 5]);
    expect(compile(q(text("redacted")), provider, { masked: true }).where).toEqual(["TRUE"]);
    expect(compile(q(eq({ name: "status" }, n(200))), provider, { masked: true }).exact).toBe(true);
  });

  it("user text reaches the database only as parameters", () => {
    const evil = `'); DROP TABLE "Capture"; --`;
    const { where } = compile(q(and(text(evil), eq({ name: "header", key: "x'y" }, s(evil)), eq(json("a'b"), s(evil)))), provider);
    const { text: sqlText } = render(where, provider);
    expect(sqlText).not.toContain("DROP");
    expect(sqlText).not.toContain("x'y");
  });
});
