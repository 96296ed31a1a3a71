// The search projection (CaptureSearch, issue 16) on the real server and both databases: a capture through
// the door gets its row in the same commit, with the columns the SQL search reads; deleting captures (one, or
// clear-all through lib/jobs/purge.ts) removes the rows and, on SQLite, their FTS5 entries; on SQLite the write
// index thread indexes the projection text in a file of its own, within a range it records, and the search reads
// rows outside the range with LIKE (found before and after indexing, same results); the FTS5 MATCH and pg_trgm ILIKE / jsonb containment use
// their indexes (EXPLAIN); and rows stored without a projection (as before this migration) are filled by the write
// worker's backfill after a restart while captures keep committing.
import { execFile } from "node:child_process";
import { gzipSync } from "node:zlib";
import { promisify } from "node:util";
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndexer } from "@/lib/capture/write/search-indexer";
import { parse } from "@/lib/search/hql/parser";
import { FROM_SEARCH } from "@/lib/search/sql/columns";
import { compileToSql } from "@/lib/search/sql/compile";
import { openSeedDb } from "../helpers/seed";
import { Api, providers, root, startServer, type TestServer } from "../helpers/server";

const run = promisify(execFile);

async function query(server: TestServer, sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
  if (server.provider === "sqlite") {
    const db = new Database(`${server.dataDir}/hookscope.db`);
    try {
      // The search index's own file, as the server's connections see it (lib/db/search-indexes.ts).
      db.prepare(`ATTACH DATABASE ? AS "search"`).run(`${server.dataDir}/hookscope-search.db`);
      const st = db.prepare(sql);
      if (st.reader) return st.all(...params) as Record<string, unknown>[];
      st.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    let i = 0;
    return (
      await client.query(
        sql.replace(/\?/g, () => `$${++i}`),
        params,
      )
    ).rows;
  } finally {
    await client.end();
  }
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const post = (server: TestServer, token: string, path: string, body: Buffer | string, headers: Record<string, string>) =>
  fetch(`${server.url}/in/${token}${path}`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers });

/** FTS5 rows whose text holds `needle` (SQLite); the trigram MATCH of a quoted phrase is a substring test. */
const ftsHits = async (server: TestServer, needle: string) =>
  (await query(server, `SELECT rowid FROM "search"."CaptureSearchFts"(?)`, `"${needle}"`)).map((r) => Number(r.rowid));

/** SQLite: the FTS index's range and the lowest and highest projected seq. */
const coverage = async (server: TestServer) => {
  const [row] = await query(
    server,
    `SELECT s."low" AS "low", s."upTo" AS "upTo", (SELECT coalesce(min("seq"), 1) FROM "CaptureSearch") AS "first",
            (SELECT coalesce(max("seq"), 0) FROM "CaptureSearch") AS "last" FROM "search"."CaptureSearchFtsState" s`,
  );
  return { low: Number(row!.low), upTo: Number(row!.upTo), first: Number(row!.first), last: Number(row!.last) };
};
/** Waits until the search index thread has indexed every projection row (SQLite). */
const indexed = (server: TestServer) =>
  waitFor(
    () => coverage(server),
    (c) => c.upTo >= c.last && c.low <= c.first,
  );

describe.each(await providers())("search projection (%s)", (provider) => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer({ provider });
    api = new Api(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("a capture through the door gets its projection row in the same commit", async () => {
    const ep = await api.createEndpoint();
    const headers = {
      "content-type": "application/json",
      "content-encoding": "gzip",
      "x-github-event": "push",
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": "sha256=00",
    };
    const res = await post(server, ep.token, "/hooks/gh", gzipSync('{"repository":{"full_name":"acme/api"},"n":7}'), headers);
    expect(res.status).toBe(200);
    const form = await post(server, ep.token, "/f", "name=Ada+L&x=%F0%9F%98%80", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(200);
    const rows = await query(
      server,
      `SELECT c.seq AS seq, s."endpointId" AS "endpointId", s.text AS text, s."bodyStart" AS "bodyStart", s."bodyType" AS "bodyType", s.provider AS provider,
              s.event AS event, s.delivery AS delivery, ${provider === "sqlite" ? "json(s.json)" : "s.json::text"} AS json, s.form AS form,
              ${provider === "sqlite" ? `json_type(s.json, '$.n') = 'integer' AND typeof(s.json) = 'blob'` : "jsonb_typeof(s.json->'n') = 'number'"} AS "binaryJson"
       FROM "Capture" c LEFT JOIN "CaptureSearch" s ON s.seq = c.seq WHERE c."endpointId" = ? ORDER BY c.seq`,
      ep.id,
    );
    expect(rows).toHaveLength(2);
    const [gh, f] = rows as Record<string, string | number | null>[];
    expect(gh).toMatchObject({
      endpointId: ep.id,
      bodyType: "json",
      provider: "github",
      event: "push",
      delivery: headers["x-github-delivery"],
    });
    const text = String(gh!.text);
    expect(text.startsWith("/hooks/gh\n\n")).toBe(true);
    expect(text).toContain("x-github-event: push\n");
    expect(text.slice(Number(gh!.bodyStart))).toBe('{"repository":{"full_name":"acme/api"},"n":7}');
    expect(JSON.parse(String(gh!.json))).toEqual({ repository: { full_name: "acme/api" }, n: 7 });
    // SQLite keeps it as JSONB (binary, read without parsing text), PostgreSQL as jsonb.
    expect(Boolean(gh!.binaryJson)).toBe(true);
    expect(gh!.form).toBeNull();
    expect(f).toMatchObject({ bodyType: "form", json: null });
    expect(JSON.parse(String(f!.form))).toEqual([
      ["name", "Ada L"],
      ["x", "😀"],
    ]);
    if (provider === "sqlite") {
      // Indexed by the write worker after the commit (not in it), up to the watermark.
      const c = await indexed(server);
      expect(c.upTo).toBeGreaterThanOrEqual(Number(f!.seq));
      expect(await ftsHits(server, "acme/api")).toEqual([Number(gh!.seq)]);
    } else {
      const hit = await query(server, `SELECT seq FROM "CaptureSearch" WHERE text ILIKE ? AND json @> ?::jsonb`, "%ACME/API%", '{"n":7}');
      expect(hit.map((r) => Number(r.seq))).toEqual([Number(gh!.seq)]);
    }
  });

  it("deleting one capture, then clearing the endpoint, removes the projection and its index entries", async () => {
    const ep = await api.createEndpoint();
    for (const word of ["kumquat-one", "kumquat-two", "kumquat-three"]) {
      expect((await post(server, ep.token, "", `{"w":"${word}"}`, { "content-type": "application/json" })).status).toBe(200);
    }
    const projected = async () =>
      (await query(server, `SELECT seq FROM "CaptureSearch" WHERE "endpointId" = ? ORDER BY seq`, ep.id)).map((r) => Number(r.seq));
    const seqs = await projected();
    expect(seqs).toHaveLength(3);
    if (provider === "sqlite") {
      await indexed(server);
      expect((await ftsHits(server, "kumquat")).sort()).toEqual(seqs);
    }
    const { captures } = await api.captures(ep.id);
    const one = captures.find((c: { seq: number }) => c.seq === seqs[0]);
    expect((await api.request("DELETE", `/api/captures/${one.id}`)).status).toBe(204);
    expect(await projected()).toEqual(seqs.slice(1));
    // The index entry of a deleted row matches no Capture row at once, and is swept from the index file soon after.
    if (provider === "sqlite")
      expect(
        (
          await waitFor(
            () => ftsHits(server, "kumquat"),
            (h) => h.length === 2,
          )
        ).sort(),
      ).toEqual(seqs.slice(1));
    expect(await api.json("DELETE", `/api/endpoints/${ep.id}/captures`)).toEqual({ status: 200, body: { deleted: 2 } });
    expect(await projected()).toEqual([]);
    if (provider === "sqlite") {
      expect(
        await waitFor(
          () => ftsHits(server, "kumquat"),
          (h) => h.length === 0,
        ),
      ).toEqual([]);
      // The contentless index is consistent (FTS5's own check).
      await query(server, `INSERT INTO "search"."CaptureSearchFts"("CaptureSearchFts", rank) VALUES ('integrity-check', 1)`);
    }
  });

  it("text and JSON conditions use the search indexes (EXPLAIN)", async () => {
    const ep = await api.createEndpoint();
    const seed = await openSeedDb(server);
    await seed.captures(ep.id, 3000, `plan${provider}`);
    await seed.close();
    await query(
      server,
      `INSERT INTO "CaptureSearch" ("seq", "endpointId", "text", "bodyStart", "bodyType", "json")
       SELECT seq, "endpointId", '/seed' || char(10) || char(10) || 'body user' || seq, 7, 'json', ${provider === "sqlite" ? `'{"n":' || seq || '}'` : `('{"n":' || seq || '}')::jsonb`}
       FROM "Capture" WHERE "endpointId" = ?`.replace(/char\(10\)/g, provider === "sqlite" ? "char(10)" : "chr(10)"),
      ep.id,
    );
    if (provider === "sqlite") {
      await indexed(server);
      const plan = async (sql: string, ...p: unknown[]) =>
        (await query(server, `EXPLAIN QUERY PLAN ${sql}`, ...p)).map((r) => String(r.detail)).join(" | ");
      // The statement the search service runs for a bare word: the compiler's own condition.
      const { text, params } = compileToSql(parse("user2999"), "sqlite");
      const statement = `SELECT c.seq AS seq FROM ${FROM_SEARCH} WHERE c."endpointId" = ? AND ${text} ORDER BY c.seq DESC LIMIT 50`;
      const shown = await plan(statement, ep.id, ...params);
      expect(shown).toMatch(/SCAN search.CaptureSearchFts VIRTUAL TABLE INDEX \d+:M/);
      // Rows above the watermark: a primary-key range of CaptureSearch, not a scan of it.
      expect(shown).toMatch(/SEARCH CaptureSearch USING INTEGER PRIMARY KEY \(rowid>\?\)/);
      const hits = await query(server, statement, ep.id, ...params);
      const expected = await query(server, `SELECT seq FROM "CaptureSearch" WHERE "endpointId" = ? AND text LIKE '%user2999%'`, ep.id);
      expect(hits.map((r) => Number(r.seq))).toEqual(expected.map((r) => Number(r.seq)).sort((a, b) => b - a));
      expect(hits.length).toBeGreaterThan(0);
    } else {
      await query(server, `ANALYZE "CaptureSearch"`);
      const plan = async (sql: string, ...p: unknown[]) => {
        const client = new pg.Client({ connectionString: server.databaseUrl });
        await client.connect();
        try {
          // A small table is cheaper to scan; with scans priced out, the plan shows whether the index serves the operator.
          await client.query("SET enable_seqscan = off");
          let i = 0;
          return (await client.query(`EXPLAIN ${sql.replace(/\?/g, () => `$${++i}`)}`, p)).rows.map((r) => r["QUERY PLAN"]).join("\n");
        } finally {
          await client.end();
        }
      };
      expect(await plan(`SELECT seq FROM "CaptureSearch" WHERE text ILIKE ?`, "%user4242%")).toMatch(
        /Bitmap Index Scan on "CaptureSearch_text_trgm_idx"/,
      );
      expect(await plan(`SELECT seq FROM "CaptureSearch" WHERE json @> ?::jsonb`, '{"n":42}')).toMatch(
        /Bitmap Index Scan on "CaptureSearch_json_idx"/,
      );
      const [last] = await query(server, `SELECT max(seq) AS seq FROM "CaptureSearch" WHERE "endpointId" = ?`, ep.id);
      const hit = await query(
        server,
        `SELECT seq FROM "CaptureSearch" WHERE json @> ?::jsonb AND "endpointId" = ?`,
        `{"n":${last!.seq}}`,
        ep.id,
      );
      expect(hit.map((r) => Number(r.seq))).toEqual([Number(last!.seq)]);
    }
  });
});

describe.each(await providers())("search projection backfill (%s)", (provider) => {
  it("fills rows stored without a projection after a restart, while new captures keep committing", async () => {
    const first = await startServer({ provider });
    let second: TestServer | undefined;
    try {
      const api = new Api(first.url);
      const ep = await api.createEndpoint();
      // Rows as stored before the projection existed: straight into Capture, no CaptureSearch row.
      const exited = new Promise((r) => first.child.once("exit", r));
      first.child.kill("SIGTERM");
      await exited;
      const seed = await openSeedDb(first);
      await seed.captures(ep.id, 3000, "old");
      await seed.close();
      const status = async (s: TestServer) =>
        JSON.parse(
          (
            await run(`${root}/node_modules/.bin/tsx`, ["tests/helpers/backfill-status.ts", ep.id], {
              cwd: root,
              env: { ...process.env, DATA_DIR: s.dataDir, ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : {}) },
            })
          ).stdout,
        ) as { pending: number; endpoint: number; endpointPending: boolean };
      expect(await status(first)).toEqual({ pending: 3000, endpoint: 3000, endpointPending: true });

      second = await startServer({ provider, env: { DATA_DIR: first.dataDir }, databaseUrl: first.databaseUrl });
      const again = new Api(second.url);
      again.cookie = api.cookie;
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++)
        statuses.push((await post(second, ep.token, "/new", `{"i":${i}}`, { "content-type": "application/json" })).status);
      expect(statuses.every((s) => s === 200)).toBe(true);
      const done = await waitFor(
        () => status(first),
        (s) => s.pending === 0,
      );
      expect(done).toEqual({ pending: 0, endpoint: 0, endpointPending: false });
      const n = await query(first, `SELECT count(*) AS n FROM "CaptureSearch" WHERE "endpointId" = ?`, ep.id);
      expect(Number(n[0]!.n)).toBe(3060);
      if (provider === "sqlite") {
        // Backfilled rows land below the indexer's watermark or above it: either way every one is indexed.
        await indexed(first);
        const fts = await query(first, `SELECT count(*) AS n FROM "search"."CaptureSearchFts_docsize"`);
        expect(Number(fts[0]!.n)).toBe(Number((await query(first, `SELECT count(*) AS n FROM "CaptureSearch"`))[0]!.n));
        await query(first, `INSERT INTO "search"."CaptureSearchFts"("CaptureSearchFts", rank) VALUES ('integrity-check', 1)`);
      }
      expect(second.logs.join("")).toMatch(/search projection backfill done/);
    } finally {
      await second?.stop();
      await first.stop();
    }
  }, 120_000);
});

describe.skipIf(!(await providers()).includes("sqlite"))("search index thread (sqlite)", () => {
  // Issue 17 (footprint): the thread ends once caught up and idle, and is started again for new work.
  const starts = (s: TestServer) => s.logs.join("").split("search index thread started").length - 1;
  const ends = (s: TestServer) => s.logs.join("").split("search index thread ended (idle)").length - 1;
  const until = async (ok: () => boolean, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return ok();
  };

  it("ends when idle; a capture starts it again and is indexed; a deletion by the app starts it to sweep", async () => {
    const server = await startServer({ provider: "sqlite", env: { LOG_LEVEL: "debug" } });
    try {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      expect(await until(() => ends(server) >= 1 && ends(server) === starts(server))).toBe(true);
      const before = starts(server);
      expect((await post(server, ep.token, "", '{"w":"quince-idle"}', { "content-type": "application/json" })).status).toBe(200);
      expect(await until(() => starts(server) > before)).toBe(true);
      const [hit] = await waitFor(
        () => ftsHits(server, "quince-idle"),
        (h) => h.length === 1,
      );
      expect(hit).toBeGreaterThan(0);
      // Idle again; then the app (another connection) deletes the capture: the thread comes back and sweeps it.
      expect(await until(() => ends(server) === starts(server))).toBe(true);
      const again = starts(server);
      const { captures } = await api.captures(ep.id);
      expect((await api.request("DELETE", `/api/captures/${captures[0].id}`)).status).toBe(204);
      expect(await until(() => starts(server) > again)).toBe(true);
      expect(
        await waitFor(
          () => ftsHits(server, "quince-idle"),
          (h) => h.length === 0,
        ),
      ).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe.skipIf(!(await providers()).includes("sqlite"))("search index watermark (sqlite)", () => {
  it("rows above the watermark are found by LIKE, the same rows by the index once indexed, and an older index is replaced", async () => {
    const first = await startServer({ provider: "sqlite" });
    let second: TestServer | undefined;
    try {
      const api = new Api(first.url);
      const ep = await api.createEndpoint();
      expect((await post(first, ep.token, "/warm", "{}", { "content-type": "application/json" })).status).toBe(200);
      await indexed(first);
      const exited = new Promise((r) => first.child.once("exit", r));
      first.child.kill("SIGTERM");
      await exited;

      // 500 projected rows no indexer has seen: above the watermark.
      const seed = await openSeedDb(first);
      await seed.captures(ep.id, 500, "wm");
      await seed.close();
      const mainFile = `${first.dataDir}/hookscope.db`;
      const db = new Database(mainFile);
      db.prepare(`ATTACH DATABASE ? AS "search"`).run(`${first.dataDir}/hookscope-search.db`);
      const search = (needle: string) => {
        const { text, params } = compileToSql(parse(needle), "sqlite");
        return (
          db
            .prepare(`SELECT c.seq AS seq FROM ${FROM_SEARCH} WHERE c."endpointId" = ? AND ${text} ORDER BY c.seq DESC`)
            .all(ep.id, ...params) as { seq: number }[]
        ).map((r) => r.seq);
      };
      try {
        db.prepare(
          `INSERT INTO "CaptureSearch" ("seq", "endpointId", "text", "bodyStart", "bodyType")
           SELECT seq, "endpointId", '/seed' || char(10) || char(10) || 'zebra-' || (seq % 7), 7, 'json' FROM "Capture"
           WHERE "endpointId" = ? AND seq NOT IN (SELECT seq FROM "CaptureSearch")`,
        ).run(ep.id);
        const upTo = Number(db.prepare(`SELECT "upTo" FROM "search"."CaptureSearchFtsState"`).pluck().get());
        const expected = (
          db.prepare(`SELECT seq FROM "CaptureSearch" WHERE text LIKE '%zebra-3%' ORDER BY seq DESC`).all() as { seq: number }[]
        ).map((r) => r.seq);
        expect(expected.length).toBeGreaterThan(60);
        expect(expected.every((seq) => seq > upTo)).toBe(true);
        expect(search("zebra-3")).toEqual(expected); // none indexed: the LIKE branch finds them all
        // The search index thread's indexer, run here to completion: the same rows, now from the FTS index.
        const indexer = new SearchIndexer(mainFile);
        expect(indexer.catchUp(64)).toBe(500);
        indexer.close();
        expect(Number(db.prepare(`SELECT "upTo" FROM "search"."CaptureSearchFtsState"`).pluck().get())).toBe(
          Number(db.prepare(`SELECT max(seq) FROM "CaptureSearch"`).pluck().get()),
        );
        expect(search("zebra-3")).toEqual(expected);
        const viaIndex = (
          db.prepare(`SELECT rowid FROM "search"."CaptureSearchFts"('"zebra-3"') ORDER BY rowid DESC`).all() as {
            rowid: number;
          }[]
        ).map((r) => r.rowid);
        expect(viaIndex).toEqual(expected);

        // A database from an earlier version: an FTS table in the main file fed by a trigger, no search file.
        db.exec(`DETACH DATABASE "search"`);
        db.exec(
          `CREATE VIRTUAL TABLE "CaptureSearchFts" USING fts5(text, content='CaptureSearch', content_rowid='seq', tokenize='trigram')`,
        );
        db.exec(`INSERT INTO "CaptureSearchFts"("CaptureSearchFts") VALUES ('rebuild')`);
        db.exec(
          `CREATE TRIGGER "CaptureSearch_fts_insert" AFTER INSERT ON "CaptureSearch" BEGIN INSERT INTO "CaptureSearchFts"(rowid, text) VALUES (new."seq", new."text"); END`,
        );
      } finally {
        db.close();
      }
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${first.dataDir}/hookscope-search.db${suffix}`, { force: true });

      second = await startServer({ provider: "sqlite", env: { DATA_DIR: first.dataDir } });
      const again = new Api(second.url);
      again.cookie = api.cookie;
      // The main file keeps nothing of the old index; the search file is rebuilt by the index thread.
      const ddl = await query(
        first,
        `SELECT name FROM sqlite_master WHERE name LIKE 'CaptureSearch%Fts%' OR name LIKE 'CaptureSearch_fts%'`,
      );
      expect(ddl).toEqual([]);
      // The API finds the rows whether or not the re-index has reached them, and after it has.
      const viaApi = async () =>
        (
          (await again.json("GET", `/api/endpoints/${ep.id}/captures?q=zebra-3&limit=200`)).body as { captures: { seq: number }[] }
        ).captures.map((c) => c.seq);
      const before = await viaApi();
      expect(before.length).toBeGreaterThan(60);
      await indexed(first);
      expect(await viaApi()).toEqual(before);
      expect(new Set(await ftsHits(first, "zebra-3"))).toEqual(new Set(before));
    } finally {
      await second?.stop();
      await first.stop();
    }
  }, 120_000);
});
