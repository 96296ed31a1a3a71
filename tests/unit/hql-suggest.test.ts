// Search-bar autocomplete: what fits at the cursor and the range it replaces.
import { describe, expect, it } from "vitest";
import { fieldCatalogue, suggest } from "@/lib/search/hql";

const ctx = {
  headerNames: ["X-GitHub-Event", "Content-Type"],
  jsonPaths: ["json.repository.full_name", "amount", "items[].id"],
  queryNames: ["page"],
};
const at = (q: string, cursor = q.length) => suggest(q, cursor, ctx).map((i) => `${i.insert}@${i.from}-${i.to}`);

describe("suggest", () => {
  it.each<[string, number | undefined, string[]]>([
    ["me", undefined, ["method:@0-2"]],
    ["a -prov", undefined, ["provider:@3-7"]],
    ["a header.", undefined, ["header.x-github-event:@2-9", "header.content-type:@2-9"]],
    ["header.X", undefined, ["header.x-github-event:@0-8"]],
    ["json.", undefined, ["json.repository.full_name:@0-5", "json.amount:@0-5", "json.items[].id:@0-5"]],
    ["query.p", undefined, ["query.page:@0-7"]],
    ["sig:in", undefined, ["invalid@4-6"]],
    ["type:[json,mu", undefined, ["multipart@11-13"]],
    ["has:he", undefined, ["header.@4-6"]],
    ["has:header.c", undefined, ["header.content-type@4-12"]],
    ["method:PO x", 9, ["POST@7-9"]],
    ["(me", undefined, ["method:@1-3"]],
    ['"me', undefined, []],
    ["status:>", undefined, []],
    ["method:POST", undefined, []],
    ["zzz", undefined, []],
  ])("%s", (q, cursor, expected) => {
    expect(at(q, cursor)).toEqual(expected);
  });

  it("offers every field on an empty word, with a description", () => {
    const items = suggest("a ", 2);
    expect(items.map((i) => i.label)).toEqual(fieldCatalogue.map((f) => f.name));
    expect(items.every((i) => i.kind === "field" && i.from === 2 && i.to === 2 && i.detail)).toBe(true);
  });

  it("clamps the cursor", () => {
    expect(suggest("me", 99).map((i) => i.insert)).toEqual(["method:"]);
    expect(suggest("me", -5)).toEqual(fieldCatalogue.map((f) => expect.objectContaining({ label: f.name, from: 0, to: 2 })));
  });
});
