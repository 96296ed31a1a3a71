// The scale benchmark's bulk loader (bench/scale/loader.ts) must store a capture exactly as the
// capture door does, or the benchmark measures a different table. Each corpus sample goes through
// the real door (POST /in/<token>), then the same request (the headers as the door received them,
// the same body bytes) through the loader; every stored column but id, seq, time and duration must
// match, and the API must serve the two the same way (detail headers, signature detection, exact
// body bytes). A refused oversized request is stored the same way too (no body, its size, 413).
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpus, type SampleRequest } from "../../bench/scale/corpus";
import { bulkLoad, type LoadTarget, toNewCapture } from "../../bench/scale/loader";
import { buildPool } from "../../bench/scale/pool";
import { projectRows } from "../../bench/scale/projection";
import { captureRowValues } from "@/lib/capture/write/rows";
import { sendThroughDoor } from "../../bench/scale/load";
import type { HeaderPairs } from "@/lib/model/capture";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

const COMPARED = [
  "method",
  "path",
  "query",
  "httpVersion",
  "headers",
  "bodySize",
  "bodySha256",
  "contentType",
  "remoteAddr",
  "rejected",
  "responseStatus",
] as const;
type Row = Record<(typeof COMPARED)[number] | "id" | "body", unknown>;
const MAX_BODY = 200_000;

async function rows(server: TestServer, endpointId: string): Promise<Row[]> {
  const sql = `SELECT * FROM "Capture" WHERE "endpointId" = ${server.provider === "sqlite" ? "?" : "$1"} ORDER BY seq`;
  if (server.provider === "sqlite") {
    const db = new Database(`${server.dataDir}/hookscope.db`, { readonly: true });
    try {
      return db.prepare(sql).all(endpointId) as Row[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, [endpointId])).rows as Row[];
  } finally {
    await client.end();
  }
}

/** The search projection rows of an endpoint (CaptureSearch), in seq order, without seq and endpointId. */
async function projections(server: TestServer, endpointId: string): Promise<Record<string, unknown>[]> {
  const json = server.provider === "sqlite" ? `json("json") AS "json"` : `"json"::text AS "json"`;
  const sql = `SELECT "text", "bodyStart", "bodyType", "provider", "event", "delivery", ${json}, "form" FROM "CaptureSearch" WHERE "endpointId" = ${server.provider === "sqlite" ? "?" : "$1"} ORDER BY seq`;
  if (server.provider === "sqlite") {
    const db = new Database(`${server.dataDir}/hookscope.db`, { readonly: true });
    try {
      return db.prepare(sql).all(endpointId) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, [endpointId])).rows;
  } finally {
    await client.end();
  }
}

/** One sample of each kind the corpus makes, small enough for the door's limit. */
function samples(): SampleRequest[] {
  const c = corpus(10_000, 7);
  const byKind = new Map<string, SampleRequest>();
  for (let i = 0; i < 3000 && byKind.size < 9; i++) {
    const s = c.next();
    if (!s.rejected && s.body.length < MAX_BODY && !byKind.has(s.kind)) byKind.set(s.kind, { ...s, responseStatus: 200 });
  }
  return [...byKind.values()];
}

describe.each(await providers())("bench:scale's bulk loader on %s", (provider) => {
  let server: TestServer;
  let api: Api;
  beforeAll(async () => {
    server = await startServer({ provider, env: { MAX_BODY_BYTES: String(MAX_BODY) } });
    api = new Api(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("stores every column as the capture door does, and the API serves both alike", async () => {
    const sent = samples();
    expect(new Set(sent.map((s) => s.kind)).size).toBe(9);
    // An upload over MAX_BODY_BYTES: the door refuses and stores it without its body.
    const big: SampleRequest = {
      ...sent[0]!,
      kind: "too-large",
      body: Buffer.alloc(MAX_BODY + 5000, 7),
      headers: [["Content-Type", "application/octet-stream"]],
    };
    const all = [...sent, big];
    const door = await api.createEndpoint({ name: "door" });
    const loaded = await api.createEndpoint({ name: "loader" });
    let i = 0;
    const sentOut = await sendThroughDoor(server.url, door.token, { next: () => all[i++]! }, all.length, 1);
    expect(sentOut.statuses).toEqual({ 200: sent.length, 413: 1 });
    const doorRows = await rows(server, door.id);
    expect(doorRows).toHaveLength(all.length);
    expect(doorRows.at(-1)!.rejected).toBe("body_too_large");

    // The same requests, as the door received them (its header list, the client's address).
    const again = doorRows.map((r, k) => ({
      ...all[k]!,
      headers: JSON.parse(r.headers as string) as HeaderPairs,
      remoteAddr: r.remoteAddr as string,
      rejected: r.rejected as string | null,
      responseStatus: r.responseStatus as number,
    }));
    let j = 0;
    const target: LoadTarget =
      provider === "sqlite" ? { provider, file: `${server.dataDir}/hookscope.db` } : { provider, databaseUrl: server.databaseUrl };
    const result = await bulkLoad(
      target,
      loaded.id,
      { next: () => again[j++]! },
      { n: again.length, fromMs: Date.now() - 1000, toMs: Date.now(), batch: 4 },
    );
    expect(result.rows).toBe(all.length);
    const loaderRows = await rows(server, loaded.id);
    expect(loaderRows).toHaveLength(all.length);
    // The search projection: the loader fills it with the write worker's own function, row for row.
    const [doorSearch, loaderSearch] = await Promise.all([projections(server, door.id), projections(server, loaded.id)]);
    expect(doorSearch).toHaveLength(all.length);
    expect(loaderSearch).toEqual(doorSearch);

    for (const [k, d] of doorRows.entries()) {
      const l = loaderRows[k]!;
      for (const col of COMPARED) expect({ kind: all[k]!.kind, col, value: l[col] }).toEqual({ kind: all[k]!.kind, col, value: d[col] });
      expect(Buffer.compare(Buffer.from(l.body as Uint8Array), Buffer.from(d.body as Uint8Array))).toBe(0);
      expect(l.id).toMatch(/^cap_[0-9a-z]{9}[A-Za-z0-9_-]{16}$/);

      const [dd, ld] = await Promise.all([
        api.json("GET", `/api/captures/${d.id}?reveal=1`),
        api.json("GET", `/api/captures/${l.id}?reveal=1`),
      ]);
      expect(ld.status).toBe(200);
      expect(ld.body.headers).toEqual(dd.body.headers);
      expect(ld.body.bodySha256).toBe(dd.body.bodySha256);
      expect(ld.body.signature).toEqual(dd.body.signature);
      if (!d.rejected) expect(Buffer.compare(await api.rawBody(l.id as string), all[k]!.body)).toBe(0);
    }
  });
});

// bench:scale loads its million rows from a pool of samples projected once and stamped per row (bench/scale/pool.ts):
// each stamped row's projection must be exactly what the write path's own function computes from that row.
describe("bench:scale's sample pool", () => {
  it("stamps fresh users and UUIDs, and its projections equal the write path's", async () => {
    const c = corpus(100_000, 9);
    const pool = await buildPool(c, (req) => captureRowValues(toNewCapture(req, "ep_pool", Date.now())), { size: 400 });
    expect(pool.size).toBe(400);
    // Everything but gzip bodies (users inside compressed bytes) and odd cases is stamped.
    expect(pool.stamped).toBeGreaterThan(300);
    const drawn = Array.from({ length: 1500 }, () => pool.next());
    const expected = await projectRows(drawn.map((d) => d.row));
    for (const [k, d] of drawn.entries()) expect(d.search).toEqual(expected[k]);
    // Stamped rows are distinct: 1,500 draws from 400 items, yet every GitHub delivery id is its own.
    const deliveries = drawn.map((d) => /"X-GitHub-Delivery","([^"]+)"/.exec(d.row[7] as string)?.[1]).filter(Boolean);
    expect(deliveries.length).toBeGreaterThan(100);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    const users = new Set(
      drawn.flatMap(
        (d) => (d.row[7] as string).concat(d.row[5] as string, (d.row[8] as Buffer).toString("latin1")).match(/user\d+/g) ?? [],
      ),
    );
    expect(users.size).toBeGreaterThan(1000);
  });
});
