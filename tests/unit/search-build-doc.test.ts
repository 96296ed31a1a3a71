// The search document of a stored capture (lib/search/build-doc.ts) and its round trip through the
// projection's columns (lib/search/projection-row.ts): a table of captures of every body kind → the fields
// search reads; then, for every capture, the SearchDoc rebuilt from the columns as SQLite stores them (a real
// table with the migration's column types: json is JSONB, numeric affinity) equals searchDocOf's.
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { zlibCodecs } from "@/lib/capture/decode";
import { type DocExtras, searchDocOf, type StoredCaptureForSearch } from "@/lib/search/build-doc";
import { SEARCH_BODY_TEXT_MAX, type SearchDoc } from "@/lib/search/doc";
import { evaluate, parse } from "@/lib/search/hql";
import { SEARCH_COLUMNS, sqliteSearchPlaceholder } from "@/lib/capture/write/rows";
import { docFromProjection, type ProjectionColumns, projectionColumnsOf } from "@/lib/search/projection-row";

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

function capture(body: Buffer | string, headers: [string, string][], more: Partial<StoredCaptureForSearch> = {}): StoredCaptureForSearch {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  return {
    endpointId: "ep_1",
    method: "post",
    path: "/hooks/a",
    query: "x=1&y=two",
    headers,
    body: bytes,
    contentType: headers.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? null,
    bodySize: bytes.length,
    responseStatus: 200,
    receivedAt: 1_764_000_000_000,
    remoteAddr: "203.0.113.7",
    rejected: null,
    ...more,
  };
}

const json = (s: string, extra: [string, string][] = []) => capture(s, [["Content-Type", "application/json"], ...extra]);
const boundary = "----hsBoundary";
const multipart = Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nquarterly report\r\n`),
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="chart.png"\r\nContent-Type: image/png\r\n\r\n`),
  PNG,
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);
const big = `{"pad":"${"z".repeat(SEARCH_BODY_TEXT_MAX)}"}`;

/** name → capture and what its document must hold. */
const CASES: [string, StoredCaptureForSearch, Partial<SearchDoc>][] = [
  [
    "json",
    json('{"user":{"id":42,"name":"ada"},"tags":["a","b"]}'),
    { bodyType: "json", json: { user: { id: 42, name: "ada" }, tags: ["a", "b"] } },
  ],
  [
    "gzip json",
    json(gzipSync('{"ok":true}') as unknown as string, [["Content-Encoding", "gzip"]]),
    { bodyType: "json", bodyText: '{"ok":true}', json: { ok: true } },
  ],
  [
    "brotli json",
    json(brotliCompressSync('{"br":1}') as unknown as string, [["Content-Encoding", "br"]]),
    { bodyType: "json", json: { br: 1 } },
  ],
  [
    "deflate form",
    capture(deflateSync("a=1&b=hello+world"), [
      ["Content-Type", "application/x-www-form-urlencoded"],
      ["Content-Encoding", "deflate"],
    ]),
    {
      bodyType: "form",
      form: [
        ["a", "1"],
        ["b", "hello world"],
      ],
    },
  ],
  [
    "multipart with a file",
    capture(multipart, [["Content-Type", `multipart/form-data; boundary=${boundary}`]]),
    {
      bodyType: "multipart",
      form: [
        ["title", "quarterly report"],
        ["file", "chart.png"],
      ],
    },
  ],
  [
    "xml",
    capture("<order><id>7</id></order>", [["Content-Type", "text/xml; charset=utf-8"]]),
    { bodyType: "xml", bodyText: "<order><id>7</id></order>" },
  ],
  ["sniffed json", capture(' {"a":[1,2]}', []), { bodyType: "json", json: { a: [1, 2] } }],
  ["sniffed xml", capture('<?xml version="1.0"?><a/>', [["Content-Type", "application/octet-stream"]]), { bodyType: "xml" }],
  ["plain text", capture("hello there", [["Content-Type", "text/plain"]]), { bodyType: "text", bodyText: "hello there" }],
  ["binary", capture(PNG, [["Content-Type", "image/png"]]), { bodyType: "binary", bodyText: "" }],
  ["sniffed binary", capture(PNG, []), { bodyType: "binary", bodyText: "" }],
  ["empty", capture("", []), { bodyType: "empty", bodyText: "" }],
  [
    "rejected",
    capture("", [["Content-Length", "99999999"]], { bodySize: 99_999_999, rejected: "body_too_large", responseStatus: 413 }),
    { bodyType: "empty", rejected: "body_too_large", size: 99_999_999 },
  ],
  ["bad gzip", json("not gzip at all", [["Content-Encoding", "gzip"]]), { bodyType: "binary", bodyText: "" }],
  ["json over the bound", json(big), { bodyType: "json", json: undefined }],
  ["json with U+0000", json('{"a":"x\\u0000y"}'), { bodyType: "json", json: undefined }],
  ["json with a lone surrogate", json('{"a":"x\\ud800y"}'), { bodyType: "json", json: undefined }],
  ["json with other escapes", json('{"a":"caf\\u00e9 \\ud83d\\ude00"}'), { bodyType: "json", json: { a: "café 😀" } }],
  // SQLite's JSON functions take 1,000 levels, not 1,001: deeper is searchable as text only, on both databases.
  ["json nested 1,000 deep", json(`${"[".repeat(1000)}${"]".repeat(1000)}`), { bodyType: "json" }],
  ["json nested 1,001 deep", json(`${"[".repeat(1001)}${"]".repeat(1001)}`), { bodyType: "json", json: undefined }],
  [
    "json with many brackets in strings",
    json(JSON.stringify({ s: "[".repeat(3000) })),
    { bodyType: "json", json: { s: "[".repeat(3000) } },
  ],
  ["bare number json", json("12345"), { bodyType: "json", json: 12345 }],
  ["invalid json", json("{nope"), { bodyType: "json", json: undefined, bodyText: "{nope" }],
  [
    "text with NUL",
    capture("a line of text\u0000 and more", [["Content-Type", "text/plain"]]),
    { bodyType: "text", bodyText: "a line of text\uFFFD and more" },
  ],
];

const extras: DocExtras = { sig: "unknown", provider: "github", event: "push", delivery: "d-1", codecs: zlibCodecs };

describe("searchDocOf", () => {
  it.each(CASES)("%s", async (_name, c, expected) => {
    const doc = await searchDocOf(c, extras);
    expect(doc).toMatchObject({
      method: "POST",
      path: c.path,
      query: c.query,
      status: c.responseStatus,
      ip: c.remoteAddr,
      provider: "github",
    });
    for (const [k, v] of Object.entries(expected)) expect(doc[k as keyof SearchDoc], k).toEqual(v);
    expect(doc.bodyText.length).toBeLessThanOrEqual(SEARCH_BODY_TEXT_MAX);
  });

  it("bounds the body text without splitting a surrogate pair", async () => {
    const doc = await searchDocOf(capture(`${"a".repeat(SEARCH_BODY_TEXT_MAX - 1)}😀tail`, [["Content-Type", "text/plain"]]), extras);
    expect(doc.bodyText).toBe("a".repeat(SEARCH_BODY_TEXT_MAX - 1));
  });

  it("keeps a binary file's bytes out of a multipart body's text, its part headers and text fields in", async () => {
    const doc = await searchDocOf(CASES[4]![1], extras);
    expect(doc.bodyText).toContain("quarterly report");
    expect(doc.bodyText).toContain('filename="chart.png"');
    expect(doc.bodyText).not.toContain("IHDR");
  });

  it("stops decoding a compression bomb at the bound", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x61));
    const doc = await searchDocOf(
      capture(bomb, [
        ["Content-Type", "text/plain"],
        ["Content-Encoding", "gzip"],
      ]),
      extras,
    );
    expect(doc.bodyType).toBe("text");
    expect(doc.bodyText.length).toBe(SEARCH_BODY_TEXT_MAX);
  });
});

describe("docFromProjection", () => {
  it("rebuilds every document from the columns as SQLite stores them", async () => {
    const db = new Database(":memory:");
    // The migration's column types (prisma/migrations/*_search_projection): json is declared JSONB.
    db.exec(
      `CREATE TABLE s ("seq" INTEGER PRIMARY KEY, "text" TEXT NOT NULL, "bodyStart" INTEGER NOT NULL, "bodyType" TEXT NOT NULL, "provider" TEXT, "event" TEXT, "delivery" TEXT, "json" JSONB, "form" TEXT)`,
    );
    // As the write path inserts (rows.ts sqliteSearchPlaceholder: json as JSONB) and the search reads (json(json)).
    const insert = db.prepare(`INSERT INTO s VALUES (?, ${SEARCH_COLUMNS.map(sqliteSearchPlaceholder).join(", ")})`);
    let seq = 0;
    for (const [name, c] of CASES) {
      const doc = await searchDocOf(c, { ...extras, sig: "valid", endpointAlias: "acme" });
      const cols = projectionColumnsOf(doc);
      expect(cols.text.slice(cols.bodyStart), name).toBe(doc.bodyText);
      insert.run(++seq, cols.text, cols.bodyStart, cols.bodyType, cols.provider, cols.event, cols.delivery, cols.json, cols.form);
      const stored = db
        .prepare(
          `SELECT "text", "bodyStart", "bodyType", "provider", "event", "delivery", json("json") AS "json", "form" FROM s WHERE seq = ?`,
        )
        .get(seq) as ProjectionColumns;
      if (cols.json !== null) expect(db.prepare(`SELECT typeof("json") FROM s WHERE seq = ?`).pluck().get(seq), name).toBe("blob");
      const summary = {
        endpointId: c.endpointId,
        method: c.method,
        path: c.path,
        query: c.query,
        bodySize: c.bodySize,
        remoteAddr: c.remoteAddr,
        receivedAt: c.receivedAt,
        rejected: c.rejected,
        response: { status: c.responseStatus },
        signature: { provider: "github", providerName: "GitHub", eventType: "push", deliveryId: "d-1", status: "valid" as const },
        endpointAlias: "acme",
      };
      expect(docFromProjection(summary, stored, c.headers), name).toEqual(doc);
    }
  });

  it("the HQL evaluator answers alike on both documents, and finds what the projection holds", async () => {
    const queries = [
      "type:json",
      "type:multipart form.file:chart.png",
      "json.user.name:ada",
      "quarterly",
      "body:hello",
      "ok",
      "json.br:1",
      'form.b:"hello world"',
      "type:binary",
    ];
    const hits = new Map<string, string[]>();
    for (const [name, c] of CASES) {
      const doc = await searchDocOf(c, extras);
      const cols = projectionColumnsOf(doc);
      const summary = { ...c, response: { status: c.responseStatus } };
      const rebuilt = docFromProjection(summary, { ...cols, json: cols.json }, c.headers);
      for (const q of queries) {
        const query = parse(q);
        expect(evaluate(query, rebuilt), `${q} on ${name}`).toBe(evaluate(query, doc));
        if (evaluate(query, doc)) hits.set(q, [...(hits.get(q) ?? []), name]);
      }
    }
    expect(hits.get("type:multipart form.file:chart.png")).toEqual(["multipart with a file"]);
    expect(hits.get("json.user.name:ada")).toEqual(["json"]);
    expect(hits.get("json.br:1")).toEqual(["brotli json"]);
    expect(hits.get('form.b:"hello world"')).toEqual(["deflate form"]);
    expect(hits.get("type:binary")).toEqual(["binary", "sniffed binary", "bad gzip"]);
  });

  it("puts path, query and each header line before the body", async () => {
    const c = json('{"a":1}', [["X-Thing", "v"]]);
    const cols = projectionColumnsOf(await searchDocOf(c, extras));
    expect(cols.text).toBe('/hooks/a\nx=1&y=two\nContent-Type: application/json\nX-Thing: v\n{"a":1}');
    expect(cols.bodyStart).toBe(cols.text.indexOf("{"));
  });
});
