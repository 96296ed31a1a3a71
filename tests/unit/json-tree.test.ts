import { describe, expect, it } from "vitest";
import { parseJsonTree, type JsonNode } from "@/lib/body/json-tree";

function tree(s: string): JsonNode {
  const r = parseJsonTree(s);
  if (!r.ok) throw new Error(r.reason);
  return r.root;
}

describe("parseJsonTree", () => {
  it("keeps numbers as sent and duplicate keys in order", () => {
    expect(tree('{"id": 12345678901234567890123, "a": 1, "a": 2.50e3}')).toEqual({
      kind: "object",
      entries: [
        { key: "id", value: { kind: "number", raw: "12345678901234567890123" } },
        { key: "a", value: { kind: "number", raw: "1" } },
        { key: "a", value: { kind: "number", raw: "2.50e3" } },
      ],
    });
  });

  it("decodes strings and keys, including escaped quotes and backslashes", () => {
    expect(tree('["a\\"b", "c\\\\", "\\u00e9", {"k\\"": "", "": null}, true, false]')).toEqual({
      kind: "array",
      items: [
        { kind: "string", value: 'a"b' },
        { kind: "string", value: "c\\" },
        { kind: "string", value: "é" },
        {
          kind: "object",
          entries: [
            { key: 'k"', value: { kind: "string", value: "" } },
            { key: "", value: { kind: "literal", raw: "null" } },
          ],
        },
        { kind: "literal", raw: "true" },
        { kind: "literal", raw: "false" },
      ],
    });
  });

  it.each(["42", '"s"', "null", " [ ] ", "{}", "\ufeff{}"])("accepts the top-level value %j", (s) => {
    expect(parseJsonTree(s).ok).toBe(true);
  });

  it.each(["", "{", "[1,]", "{'a':1}", "NaN", '{"a" 1}'])("rejects %j with a reason", (s) => {
    const r = parseJsonTree(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/not valid JSON/);
  });

  it("builds a 100,000-deep tree without recursion", () => {
    const n = 100_000;
    const r = parseJsonTree("[".repeat(n) + "]".repeat(n));
    expect(r.ok && r.depth).toBe(n);
  });

  it("caps input size and node count", () => {
    expect(parseJsonTree("[1,2,3,4,5]", { maxInputChars: 5, maxNodes: 100 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/larger/),
    });
    expect(parseJsonTree(JSON.stringify(Array(1000).fill(0)), { maxInputChars: 1e6, maxNodes: 100 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/more than 100/),
    });
  });
});
