// HQL parsing: query text → tree (spans stripped unless the case is about spans), every issue
// example, the lexing rule, each field's values, and errors with positions and suggestions.
import { describe, expect, it } from "vitest";
import { type Node, parse, print } from "@/lib/search/hql";
import { HqlError } from "@/lib/search/hql/errors";

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const H = 3_600_000;
const DAY = 24 * H;

function strip(n: Node | null): unknown {
  if (n === null) return null;
  const { span: _span, ...rest } = n as Node & { span: unknown };
  if (n.kind === "and" || n.kind === "or") return { ...rest, children: n.children.map(strip) };
  if (n.kind === "not") return { ...rest, child: strip(n.child) };
  return rest;
}
const tree = (q: string) => strip(parse(q, { now: NOW }).root);
const s = (text: string, glob = false) => ({ kind: "string", text, glob });
const num = (n: number, text = String(n)) => ({ kind: "number", n, text });
const eq = (field: object, ...values: object[]) => ({ kind: "field", field, predicate: { op: "eq", values } });
const range = (field: object, interval: object) => ({ kind: "field", field, predicate: { op: "range", interval } });
const text = (t: string) => ({ kind: "text", text: t });
const and = (...children: object[]) => ({ kind: "and", children });
const or = (...children: object[]) => ({ kind: "or", children });
const not = (child: object) => ({ kind: "not", child });

function error(q: string): HqlError {
  try {
    parse(q, { now: NOW });
  } catch (e) {
    if (e instanceof HqlError) return e;
    throw e;
  }
  throw new Error(`parsed: ${q}`);
}

describe("HQL: the issue's examples", () => {
  it.each<[string, unknown]>([
    [
      'method:POST header.x-github-event:push json.repository.full_name:"acme/api"',
      and(
        eq({ name: "method" }, s("POST")),
        eq({ name: "header", key: "x-github-event" }, s("push")),
        eq({ name: "json", path: [{ key: "repository" }, { key: "full_name" }] }, s("acme/api")),
      ),
    ],
    [
      "provider:stripe event:invoice.* -sig:valid",
      and(eq({ name: "provider" }, s("stripe")), eq({ name: "event" }, s("invoice.*", true)), not(eq({ name: "sig" }, s("valid")))),
    ],
    [
      "json.data.object.amount:>=1000 received:>-24h",
      and(
        range({ name: "json", path: [{ key: "data" }, { key: "object" }, { key: "amount" }] }, { min: 1000, minInclusive: true }),
        range({ name: "received" }, { min: NOW - 24 * H, minInclusive: false }),
      ),
    ],
    [
      "has:header.authorization path:/hooks/*",
      and({ kind: "has", field: { name: "header", key: "authorization" } }, eq({ name: "path" }, s("/hooks/*", true))),
    ],
    ['"timeout" OR status:>=500', or(text("timeout"), range({ name: "status" }, { min: 500, minInclusive: true }))],
    ["type:multipart size:>1mb", and(eq({ name: "type" }, s("multipart")), range({ name: "size" }, { min: 1048576, minInclusive: false }))],
    ["ip:203.0.113.0/24", { kind: "field", field: { name: "ip" }, predicate: { op: "cidr", cidr: "203.0.113.0/24" } }],
  ])("%s", (q, expected) => {
    expect(tree(q)).toEqual(expected);
  });
});

describe("HQL: structure", () => {
  it.each<[string, unknown]>([
    ["", null],
    ["   ", null],
    ["a", text("a")],
    ["a b c", and(text("a"), text("b"), text("c"))],
    ["a AND b", and(text("a"), text("b"))],
    ["a b OR c", or(and(text("a"), text("b")), text("c"))],
    ["a OR b c", or(text("a"), and(text("b"), text("c")))],
    ["a (b OR c)", and(text("a"), or(text("b"), text("c")))],
    ["(a b) c", and(text("a"), text("b"), text("c"))],
    ["-a", not(text("a"))],
    ["NOT a", not(text("a"))],
    ["NOT NOT a", not(not(text("a")))],
    ["-(a OR b)", not(or(text("a"), text("b")))],
    ["a or b", and(text("a"), text("or"), text("b"))],
    ['"two words" "say \\"hi\\" \\\\ ok"', and(text("two words"), text('say "hi" \\ ok'))],
    ["a - b", and(text("a"), text("-"), text("b"))],
  ])("%s", (q, expected) => {
    expect(tree(q)).toEqual(expected);
  });

  it("keeps spans on every node", () => {
    const root = parse("a (b OR -c)", { now: NOW }).root!;
    expect(root.span).toEqual({ start: 0, end: 11 });
    if (root.kind !== "and") throw new Error(root.kind);
    expect(root.children.map((c) => c.span)).toEqual([
      { start: 0, end: 1 },
      { start: 2, end: 11 },
    ]);
  });
});

describe("HQL: the lexing rule (field-shaped prefix before ':')", () => {
  it.each<[string, unknown]>([
    ["https://example.com/a:b", text("https://example.com/a:b")],
    ["http://x", text("http://x")],
    ["10:30", text("10:30")],
    ["2026-12-01T10:00", text("2026-12-01T10:00")],
    [":x", text(":x")],
    ['"user:42"', text("user:42")],
    ["METHOD:get", eq({ name: "method" }, s("get"))],
    ["header.Content-Type:application/json", eq({ name: "header", key: "content-type" }, s("application/json"))],
    ["query.Page:2", eq({ name: "query", key: "Page" }, s("2"))],
    ["form.user[name]:x", eq({ name: "form", key: "user[name]" }, s("x"))],
    ["json.items[].id:7", eq({ name: "json", path: [{ key: "items" }, { any: true }, { key: "id" }] }, num(7))],
    ["json.a[0].b:true", eq({ name: "json", path: [{ key: "a" }, { index: 0 }, { key: "b" }] }, { kind: "boolean", b: true })],
    ["json.a:null", eq({ name: "json", path: [{ key: "a" }] }, { kind: "null" })],
    ['json.a:"1000"', eq({ name: "json", path: [{ key: "a" }] }, s("1000"))],
    ["json.a:-1.5", eq({ name: "json", path: [{ key: "a" }] }, num(-1.5, "-1.5"))],
    ["json.a:1..5", range({ name: "json", path: [{ key: "a" }] }, { min: 1, minInclusive: true, max: 5, maxInclusive: true })],
    ["(method:POST)", eq({ name: "method" }, s("POST"))],
  ])("%s", (q, expected) => {
    expect(tree(q)).toEqual(expected);
  });
});

describe("HQL: field values", () => {
  const day = Date.UTC(2026, 11, 1);
  it.each<[string, unknown]>([
    ["method:[GET,POST]", eq({ name: "method" }, s("GET"), s("POST"))],
    ['event:[ invoice.paid , "a b" ]', eq({ name: "event" }, s("invoice.paid"), s("a b"))],
    ['path:"/a b/*"', eq({ name: "path" }, s("/a b/*", true))],
    ['body:"\\*literal"', eq({ name: "body" }, s("*literal"))],
    ["status:404", eq({ name: "status" }, num(404))],
    ["status:5xx", range({ name: "status" }, { min: 500, minInclusive: true, max: 599, maxInclusive: true })],
    ["status:400..499", range({ name: "status" }, { min: 400, minInclusive: true, max: 499, maxInclusive: true })],
    ["status:<300", range({ name: "status" }, { max: 300, maxInclusive: false })],
    [
      "status:[404,5xx]",
      or(eq({ name: "status" }, num(404)), range({ name: "status" }, { min: 500, minInclusive: true, max: 599, maxInclusive: true })),
    ],
    ["size:<100", range({ name: "size" }, { max: 100, maxInclusive: false })],
    ["size:1kb", eq({ name: "size" }, num(1024))],
    ["size:1.5KB..2gb", range({ name: "size" }, { min: 1536, minInclusive: true, max: 2 * 1024 ** 3, maxInclusive: true })],
    ["size:<=10b", range({ name: "size" }, { max: 10, maxInclusive: true })],
    ["received:-7d..-1d", range({ name: "received" }, { min: NOW - 7 * DAY, minInclusive: true, max: NOW - DAY, maxInclusive: true })],
    ["received:-30m", range({ name: "received" }, { min: NOW - 30 * 60_000, minInclusive: true })],
    ["received:<-2w", range({ name: "received" }, { max: NOW - 14 * DAY, maxInclusive: false })],
    ["received:2026-12-01", range({ name: "received" }, { min: day, minInclusive: true, max: day + DAY, maxInclusive: false })],
    ["received:>2026-12-01", range({ name: "received" }, { min: day + DAY, minInclusive: true })],
    ["received:<=2026-12-01", range({ name: "received" }, { max: day + DAY, maxInclusive: false })],
    [
      "received:2026-12-01T10:00Z",
      range({ name: "received" }, { min: day + 10 * H, minInclusive: true, max: day + 10 * H + 60_000, maxInclusive: false }),
    ],
    ["received:>=2026-12-01T10:00+02:00", range({ name: "received" }, { min: day + 8 * H, minInclusive: true })],
    [
      "received:2026-11-30..2026-12-01",
      range({ name: "received" }, { min: day - DAY, minInclusive: true, max: day + DAY, maxInclusive: false }),
    ],
    ["ip:203.0.113.9/24", { kind: "field", field: { name: "ip" }, predicate: { op: "cidr", cidr: "203.0.113.0/24" } }],
    ["ip:10.0.0.1", { kind: "field", field: { name: "ip" }, predicate: { op: "cidr", cidr: "10.0.0.1/32" } }],
    ["ip:2001:DB8:0:0::1", { kind: "field", field: { name: "ip" }, predicate: { op: "cidr", cidr: "2001:db8::1/128" } }],
    ["ip:2001:db8::/32", { kind: "field", field: { name: "ip" }, predicate: { op: "cidr", cidr: "2001:db8::/32" } }],
    ["ip:::ffff:10.0.0.1", { kind: "field", field: { name: "ip" }, predicate: { op: "cidr", cidr: "10.0.0.1/32" } }],
    ["rejected:true", eq({ name: "rejected" }, { kind: "boolean", b: true })],
    ["rejected:body_too_large", eq({ name: "rejected" }, s("body_too_large"))],
    ["sig:INVALID", eq({ name: "sig" }, s("invalid"))],
    ["type:[json,xml]", eq({ name: "type" }, s("json"), s("xml"))],
    ["endpoint:orders", eq({ name: "endpoint" }, s("orders"))],
    ["delivery:evt_1*", eq({ name: "delivery" }, s("evt_1*", true))],
    ["has:json.a.b", { kind: "has", field: { name: "json", path: [{ key: "a" }, { key: "b" }] } }],
    ["has:body", { kind: "has", field: { name: "body" } }],
  ])("%s", (q, expected) => {
    expect(tree(q)).toEqual(expected);
  });
});

describe("HQL: errors name the position, what was expected, and the nearest fields", () => {
  it.each<[string, number, number, RegExp, string[]?]>([
    ["hedaer.x:1", 0, 8, /unknown field "hedaer\.x"/, ["header.<name>"]],
    ["methd:POST", 0, 5, /did you mean method/, ["method"]],
    ["a prov:stripe", 2, 6, /unknown field "prov"/, ["provider"]],
    ["user:42", 0, 4, /unknown field "user".*quote it/],
    ["status:abc", 7, 10, /not a status/],
    ["size:>1zb", 6, 9, /not a size/],
    ["sig:maybe", 4, 9, /valid, invalid, stale, unknown/, ["valid", "invalid", "stale", "unknown"]],
    ["type:pdf", 5, 8, /json, form, multipart, xml, text, binary, empty/],
    ["ip:300.1.1.1", 3, 12, /not an IP address/],
    ["ip:10.0.0.0/33", 3, 14, /not an IP address/],
    ["received:yesterday", 9, 18, /not a time/],
    ["received:2026-02-30", 9, 19, /not a time/],
    ["json.a:>abc", 8, 11, /not a number/],
    ["path:>5", 5, 6, /no comparisons/],
    ["method:", 7, 7, /expected a value after "method:"/],
    ["has:status", 4, 10, /always true/],
    ["has:hedaer.x", 4, 12, /unknown field/, ["header.<name>"]],
    ["json:1", 0, 4, /json needs a path/],
    ["header.:x", 0, 7, /header needs a name/],
    ['"open', 0, 5, /unterminated quoted phrase/],
    ["method:[GET", 7, 11, /unclosed list/],
    ["(a b", 0, 1, /unclosed "\("/],
    ["a)", 1, 2, /unmatched "\)"/],
    ["()", 0, 2, /empty group/],
    ["a OR", 4, 4, /expected a term after OR/],
    ["OR a", 0, 2, /unexpected OR/],
    ["NOT", 3, 3, /expected a term after NOT/],
    ["-)", 1, 2, /unmatched "\)"/],
    ['body:"a*\\*"', 5, 11, /cannot mix/],
  ])("%s", (q, position, end, message, suggestions) => {
    const e = error(q);
    expect({ position: e.position, end: e.end }).toEqual({ position, end });
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(new RegExp(`^column ${position + 1}: `));
    if (suggestions) expect(e.suggestions).toEqual(suggestions);
  });

  it("lists what was expected", () => {
    expect(error("methd:POST").expected).toContain("method");
    expect(error("status:abc").expected).toContain("a class like 5xx");
  });

  it("bounds the query: length, terms, nesting", () => {
    expect(error("a".repeat(2001)).message).toMatch(/longer than 2000/);
    expect(() => parse("a".repeat(2000))).not.toThrow();
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`).join(" ");
    expect(() => parse(terms(64))).not.toThrow();
    expect(error(terms(65))).toMatchObject({ position: terms(64).length + 1, message: expect.stringMatching(/more than 64 terms/) });
    expect(() => parse(`${"(".repeat(16)}a${")".repeat(16)}`)).not.toThrow();
    expect(error(`${"(".repeat(17)}a${")".repeat(17)}`)).toMatchObject({ position: 16, message: expect.stringMatching(/deeper than 16/) });
    expect(error(`${"-".repeat(17)}a`).message).toMatch(/deeper than 16/);
  });
});

describe("HQL: print is canonical and round-trips", () => {
  it.each([
    'method:POST header.x-github-event:push json.repository.full_name:"acme/api"',
    "provider:stripe event:invoice.* -sig:valid",
    "json.data.object.amount:>=1000",
    '"timeout" OR status:>=500',
    "a (b OR c) -(d e)",
    "status:[404,5xx] size:1kb..2kb",
    'json.a:"1000" json.b:"true" json.c:1000 body:"\\*x" "a:b" "OR" "-x"',
    "ip:2001:db8::/32 has:query.x rejected:false",
  ])("%s", (q) => {
    const first = parse(q, { now: NOW });
    const again = parse(print(first), { now: NOW });
    expect(strip(again.root)).toEqual(strip(first.root));
  });

  it.each(["received:>-24h", "received:2026-12-01", "received:-7d..-1d", "received:<=2026-12-01T10:00Z"])(
    "times print as ISO instants, a fixed point: %s",
    (q) => {
      const once = print(parse(q, { now: NOW }));
      expect(once).toMatch(/\d{4}-\d\d-\d\dT/);
      expect(print(parse(once, { now: NOW }))).toBe(once);
    },
  );

  it("prints a readable canonical form", () => {
    expect(print(parse("a b OR c", { now: NOW }))).toBe("a b OR c");
    expect(print(parse("size:>1mb status:5xx", { now: NOW }))).toBe("size:>1048576 status:500..599");
  });
});

describe("HQL: random input", () => {
  const pieces = [
    " ",
    " ",
    "(",
    ")",
    "-",
    "NOT ",
    " OR ",
    '"',
    "a",
    "b*",
    "x:y",
    "method:",
    "status:",
    "size:",
    "json.a",
    "[]",
    ":",
    ">=",
    "..",
    "[",
    "]",
    ",",
    "5xx",
    "1kb",
    "10",
    "has:",
    "header.h",
    "\\",
    "*",
    "true",
    "ip:",
    "::1",
    "/8",
  ];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };

  it("either parses to a tree that print round-trips, or throws a positioned HqlError", () => {
    let parsed = 0;
    for (let round = 0; round < 3000; round++) {
      const q = Array.from({ length: 1 + rand(10) }, () => pieces[rand(pieces.length)]).join("");
      let first: ReturnType<typeof parse> | undefined;
      try {
        first = parse(q, { now: NOW });
      } catch (e) {
        expect(e, q).toBeInstanceOf(HqlError);
        const err = e as HqlError;
        expect(err.position, q).toBeGreaterThanOrEqual(0);
        expect(err.end, q).toBeGreaterThanOrEqual(err.position);
        expect(err.end, q).toBeLessThanOrEqual(q.length);
        expect(err.message, q).toMatch(/^column \d+: /);
        continue;
      }
      parsed++;
      const printed = print(first);
      expect(strip(parse(printed, { now: NOW }).root), `${q} → ${printed}`).toEqual(strip(first.root));
    }
    expect(parsed).toBeGreaterThan(300);
  });
});
