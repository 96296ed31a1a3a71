import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "@/lib/model/capture";
import { diffBodies, diffHeaders, diffRequests, diffResponses } from "@/lib/replay/diff";
import type { BodyDiff } from "@/lib/replay/diff-types";
import { diffJson, formatPath } from "@/lib/replay/json-diff";
import { diffText } from "@/lib/replay/text-diff";

const bytes = (s: string) => new TextEncoder().encode(s);
const json = (d: BodyDiff) => {
  if (d.mode !== "json") throw new Error(`expected a JSON diff, got ${d.mode}`);
  return d;
};

describe("JSON bodies", () => {
  it("key order and whitespace do not matter", () => {
    const d = json(diffBodies(bytes('{"a":1,"b":{"c":[1,2],"d":null}}'), bytes('{ "b": { "d": null, "c": [1, 2] },\n "a": 1 }')));
    expect(d.equal).toBe(true);
    expect(d.changes).toEqual([]);
  });

  it("lists added, removed and changed fields with their paths", () => {
    const before = { id: "evt_1", data: { amount: 100, currency: "usd", meta: { a: 1 } }, old: true, "odd key": 1 };
    const after = { id: "evt_1", data: { amount: 250, currency: "usd", meta: { a: 1, b: 2 } }, "odd key": "1", added: [1] };
    const d = json(diffBodies(bytes(JSON.stringify(before)), bytes(JSON.stringify(after))));
    expect(d.equal).toBe(false);
    expect(d.changes.map(({ path, kind, before: b, after: a }) => ({ path, kind, b, a }))).toEqual([
      { path: "$.added", kind: "added", b: undefined, a: [1] },
      { path: "$.data.amount", kind: "changed", b: 100, a: 250 },
      { path: "$.data.meta.b", kind: "added", b: undefined, a: 2 },
      { path: '$["odd key"]', kind: "changed", b: 1, a: "1" },
      { path: "$.old", kind: "removed", b: true, a: undefined },
    ]);
    expect(d.changes[1]?.segments).toEqual(["data", "amount"]);
  });

  it("array items are matched by position, or by id when they have one", () => {
    expect(diffJson({ xs: [{ v: 1 }, { v: 2 }] }, { xs: [{ v: 1 }, { v: 3 }, { v: 4 }] }).changes).toEqual([
      { path: "$.xs[1].v", segments: ["xs", 1, "v"], kind: "changed", before: 2, after: 3 },
      { path: "$.xs[2]", segments: ["xs", 2], kind: "added", after: { v: 4 } },
    ]);
    const byId = diffJson(
      {
        items: [
          { id: "a", n: 1 },
          { id: "b", n: 2 },
        ],
      },
      {
        items: [
          { id: "b", n: 3 },
          { id: "a", n: 1 },
        ],
      },
    ).changes;
    expect(byId).toContainEqual({ path: "$.items[0].n", segments: ["items", 0, "n"], kind: "changed", before: 2, after: 3 });
    expect(byId).toContainEqual({ path: "$.items[1]", segments: ["items", 1], kind: "moved", before: 1, after: 0 });
    expect(diffJson([1, 2, 3], [1, 3]).changes).toEqual([{ path: "$[1]", segments: [1], kind: "removed", before: 2 }]);
  });

  it("a type change at the root is one change", () => {
    expect(diffJson({ a: 1 }, [1]).changes).toEqual([{ path: "$", segments: [], kind: "changed", before: { a: 1 }, after: [1] }]);
  });

  it("caps the number of changes listed", () => {
    const a = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i + 1]));
    const r = diffJson(a, b, 10);
    expect(r.changes).toHaveLength(10);
    expect(r.truncated).toBe(true);
  });

  it("deeply nested JSON falls back to text without blowing the stack", () => {
    const deep = (leaf: string) => "[".repeat(20_000) + leaf + "]".repeat(20_000);
    const d = diffBodies(bytes(deep("1")), bytes(deep("2")));
    expect(d.mode).toBe("text");
    expect(d.equal).toBe(false);
  });
});

describe("text and binary bodies", () => {
  it("non-JSON text gets a line diff with context and skipped runs", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const changed = [...lines];
    changed[9] = "line ten";
    changed.push("line 21");
    const d = diffBodies(bytes(lines.join("\n")), bytes(changed.join("\n")));
    if (d.mode !== "text") throw new Error(d.mode);
    expect(d.equal).toBe(false);
    expect(d.lines).toEqual([
      { kind: "skipped", count: 6 },
      { kind: "same", text: "line 7", before: 7, after: 7 },
      { kind: "same", text: "line 8", before: 8, after: 8 },
      { kind: "same", text: "line 9", before: 9, after: 9 },
      { kind: "removed", text: "line 10", before: 10 },
      { kind: "added", text: "line ten", after: 10 },
      { kind: "same", text: "line 11", before: 11, after: 11 },
      { kind: "same", text: "line 12", before: 12, after: 12 },
      { kind: "same", text: "line 13", before: 13, after: 13 },
      { kind: "skipped", count: 4 },
      { kind: "same", text: "line 18", before: 18, after: 18 },
      { kind: "same", text: "line 19", before: 19, after: 19 },
      { kind: "same", text: "line 20", before: 20, after: 20 },
      { kind: "added", text: "line 21", after: 21 },
    ]);
  });

  it("JSON on one side only is compared as text", () => {
    const d = diffBodies(bytes('{"ok":true}'), bytes("OK"));
    expect(d.mode).toBe("text");
  });

  it("identical text is equal with no changed lines", () => {
    const d = diffText("a\nb", "a\nb");
    expect(d.lines.every((l) => l.kind === "same" || l.kind === "skipped")).toBe(true);
    expect(diffBodies(bytes("a\nb"), bytes("a\nb")).equal).toBe(true);
  });

  it("a huge rewrite stays bounded: all removed, then all added", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join("\n");
    const started = Date.now();
    const d = diffText(a, b, 100_000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(d.lines.filter((l) => l.kind === "removed")).toHaveLength(3000);
    expect(d.lines.filter((l) => l.kind === "added")).toHaveLength(3000);
  });

  it("bodies that are not UTF-8 are compared by size and SHA-256", () => {
    const d = diffBodies(new Uint8Array([0xff, 0xfe, 0]), new Uint8Array([0xff, 0xfe, 1]));
    expect(d).toMatchObject({ mode: "binary", equal: false, before: { size: 3 }, after: { size: 3 } });
    if (d.mode === "binary") expect(d.before.sha256).not.toBe(d.after.sha256);
    expect(diffBodies(new Uint8Array([0xff]), new Uint8Array([0xff]))).toMatchObject({ mode: "binary", equal: true });
  });
});

describe("headers", () => {
  it("compares by name (case-insensitive), values in order, duplicates included", () => {
    const before: HeaderPairs = [
      ["Content-Type", "application/json"],
      ["X-Dup", "1"],
      ["X-Dup", "2"],
      ["X-Gone", "x"],
      ["Date", "Mon"],
    ];
    const after: HeaderPairs = [
      ["content-type", "application/json"],
      ["X-Dup", "2"],
      ["X-Dup", "1"],
      ["Date", "Tue"],
      ["X-New", "y"],
    ];
    expect(diffHeaders(before, after, ["date"])).toEqual([
      { name: "X-Dup", kind: "changed", before: ["1", "2"], after: ["2", "1"] },
      { name: "X-Gone", kind: "removed", before: ["x"] },
      { name: "X-New", kind: "added", after: ["y"] },
    ]);
  });
});

describe("requests and responses", () => {
  it("an edited request against the original", () => {
    const original = { method: "POST", url: "http://t/a", headers: [["X-A", "1"]] as HeaderPairs, body: bytes('{"a":1}') };
    const edited = { method: "PUT", url: "http://t/a", headers: [["X-A", "2"]] as HeaderPairs, body: bytes('{"a":2}') };
    const d = diffRequests(original, edited);
    expect(d.method).toEqual({ before: "POST", after: "PUT" });
    expect(d.url).toBeNull();
    expect(d.headers).toEqual([{ name: "X-A", kind: "changed", before: ["1"], after: ["2"] }]);
    expect(json(d.body).changes).toEqual([{ path: "$.a", segments: ["a"], kind: "changed", before: 1, after: 2 }]);
  });

  it("two attempts' responses ignore volatile headers by default", () => {
    const a = {
      status: 200,
      headers: [
        ["Date", "Mon"],
        ["X-Request-Id", "1"],
        ["ETag", "a"],
      ] as HeaderPairs,
      body: bytes('{"ok":true,"n":1}'),
    };
    const b = {
      status: 500,
      headers: [
        ["Date", "Tue"],
        ["X-Request-Id", "2"],
        ["ETag", "b"],
      ] as HeaderPairs,
      body: bytes('{"n":1,"ok":true}'),
    };
    const d = diffResponses(a, b);
    expect(d.status).toEqual({ before: 200, after: 500 });
    expect(d.headers).toEqual([{ name: "ETag", kind: "changed", before: ["a"], after: ["b"] }]);
    expect(d.body.equal).toBe(true);
  });
});

describe("formatPath", () => {
  it.each([
    [[], "$"],
    [["a", 0, "b"], "$.a[0].b"],
    [["x-request-id"], '$["x-request-id"]'],
    [['with "quote"'], '$["with \\"quote\\""]'],
    [["_ok", "$x"], "$._ok.$x"],
  ])("%j → %s", (segments, expected) => {
    expect(formatPath(segments)).toBe(expected);
  });
});
