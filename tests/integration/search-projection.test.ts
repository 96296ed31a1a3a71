// The search projection (CaptureSearch, issue 16) on the real server and both databases: a capture through
// the door gets its row in the same commit, with the columns the SQL search reads; deleting captures (one, or
// clear-all through lib/jobs/purge.ts) removes the rows and, on SQLite, their FTS5 entries; the FTS5 MATCH/LIKE
// and pg_trgm ILIKE / jsonb containment use their indexes (EXPLAIN); and rows stored without a projection (as
// before this migration) are filled by the write worker's backfill after a restart while captures keep committing.
import { execFile } from "node:child_process";
import { gzipSync } from "node:zlib";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSeedDb } from "../helpers/seed";
import { Api, providers, root, startServer, type TestServer } from "../helpers/server";

const run = promisify(execFile);

async function query(server: TestServer, sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
  if (server.provider === "sqlite") {
    const db = new Database(`${server.dataDir}/hookscope.db`);
    try {
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
  (await query(server, `SELECT rowid FROM "CaptureSearchFts" WHERE "CaptureSearchFts" MATCH ?`, `"${needle}"`)).map((r) => Number(r.rowid));

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
              s.event AS event, s.delivery AS delivery, ${provider === "sqlite" ? "s.json" : "s.json::text"} AS json, s.form AS form
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
    expect(gh!.form).toBeNull();
    expect(f).toMatchObject({ bodyType: "form", json: null });
    expect(JSON.parse(String(f!.form))).toEqual([
      ["name", "Ada L"],
      ["x", "😀"],
    ]);
    if (provider === "sqlite") expect(await ftsHits(server, "acme/api")).toEqual([Number(gh!.seq)]);
    else {
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
    const { captures } = await api.captures(ep.id);
    const one = captures.find((c: { seq: number }) => c.seq === seqs[0]);
    expect((await api.request("DELETE", `/api/captures/${one.id}`)).status).toBe(204);
    expect(await projected()).toEqual(seqs.slice(1));
    if (provider === "sqlite") expect((await ftsHits(server, "kumquat")).sort()).toEqual(seqs.slice(1));
    expect(await api.json("DELETE", `/api/endpoints/${ep.id}/captures`)).toEqual({ status: 200, body: { deleted: 2 } });
    expect(await projected()).toEqual([]);
    if (provider === "sqlite") {
      expect(await ftsHits(server, "kumquat")).toEqual([]);
      // The external-content index agrees with its table (FTS5's own check).
      await query(server, `INSERT INTO "CaptureSearchFts"("CaptureSearchFts", rank) VALUES ('integrity-check', 1)`);
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
      const plan = async (sql: string, ...p: unknown[]) =>
        (await query(server, `EXPLAIN QUERY PLAN ${sql}`, ...p)).map((r) => String(r.detail)).join(" | ");
      const join = `SELECT s.seq FROM "CaptureSearchFts" f JOIN "CaptureSearch" s ON s.seq = f.rowid WHERE s."endpointId" = ? AND`;
      expect(await plan(`${join} "CaptureSearchFts" MATCH ?`, ep.id, '"user4242"')).toMatch(/SCAN f VIRTUAL TABLE INDEX \d+:M/);
      expect(await plan(`${join} f.text LIKE ?`, ep.id, "%user4242%")).toMatch(/SCAN f VIRTUAL TABLE INDEX \d+:L/);
      expect(await plan(`${join} f.text LIKE ?`, ep.id, "%user4242%")).toMatch(/SEARCH s USING INTEGER PRIMARY KEY/);
      expect((await query(server, `${join} f.text LIKE ?`, ep.id, "%user2999%")).length).toBe(1);
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
        const fts = await query(first, `SELECT count(*) AS n FROM "CaptureSearchFts_docsize"`);
        expect(Number(fts[0]!.n)).toBe(3060);
      }
      expect(second.logs.join("")).toMatch(/search projection backfill done/);
    } finally {
      await second?.stop();
      await first.stop();
    }
  }, 120_000);
});
