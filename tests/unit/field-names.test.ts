// The autocomplete names (lib/search/field-names.ts): names only, HQL's path form, bounded.
import { describe, expect, it } from "vitest";
import { collectFieldNames, FIELD_NAME_LIMITS, mergeFieldNames } from "@/lib/search/field-names";

describe("collectFieldNames", () => {
  it.each([
    ["nested objects", { a: { b: { c: 1 } } }, ["json.a", "json.a.b", "json.a.b.c"]],
    ["arrays of objects: [] for any element", { items: [{ id: 1 }, { id: 2, extra: true }] }, ["json.items", "json.items[].id"]],
    ["arrays of scalars: the array only", { tags: ["x", "y"] }, ["json.tags"]],
    ["keys HQL cannot write after a dot are left out", { "a b": 1, "x.y": 2, ok_1: 3, "dash-ed": 4 }, ["json.dash-ed", "json.ok_1"]],
    ["a scalar body has no paths", 42, []],
    ["null", null, []],
  ])("%s", (_name, json, paths) => {
    expect(collectFieldNames([{ headers: [], query: "", json }]).jsonPaths).toEqual(paths);
  });

  it("header names lower-cased and de-duplicated, query names decoded, values never kept", () => {
    const names = collectFieldNames([
      {
        headers: [
          ["X-Token", "secret"],
          ["x-token", "other"],
          ["Content-Type", "application/json"],
        ],
        query: "a=1&b%20c=2&a=3&=x&flag",
      },
    ]);
    expect(names.headerNames).toEqual(["content-type", "x-token"]);
    expect(names.queryNames).toEqual(["a", "b c", "flag"]);
    expect(JSON.stringify(names)).not.toContain("secret");
  });

  it("stays bounded: depth and count", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { n: deep };
    const paths = collectFieldNames([{ headers: [], query: "", json: deep }]).jsonPaths;
    expect(Math.max(...paths.map((p) => p.split(".").length - 1))).toBeLessThanOrEqual(FIELD_NAME_LIMITS.jsonDepth + 1);
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, { v: i }]));
    expect(collectFieldNames([{ headers: [], query: "", json: wide }]).jsonPaths.length).toBeLessThanOrEqual(FIELD_NAME_LIMITS.names);
  });

  it("merges two samples without duplicates", () => {
    const a = { headerNames: ["a"], jsonPaths: ["json.x"], queryNames: [] };
    const b = { headerNames: ["a", "b"], jsonPaths: [], queryNames: ["q"] };
    expect(mergeFieldNames(a, b)).toEqual({ headerNames: ["a", "b"], jsonPaths: ["json.x"], queryNames: ["q"] });
  });
});
