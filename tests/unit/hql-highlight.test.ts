// Search-bar highlighting: the kinds over the source, in order, never overlapping, never throwing,
// and errors marked where the parser's error points.
import { describe, expect, it } from "vitest";
import { highlight } from "@/lib/search/hql";

const show = (q: string) => highlight(q).map((s) => [q.slice(s.start, s.end), s.kind]);

describe("highlight", () => {
  it.each<[string, [string, string][]]>([
    ["", []],
    [
      'method:POST "a b" OR -x',
      [
        ["method:", "field"],
        ["POST", "value"],
        ['"a b"', "text"],
        ["OR", "keyword"],
        ["-", "operator"],
        ["x", "text"],
      ],
    ],
    [
      "(status:>=500 NOT size:1kb..2kb)",
      [
        ["(", "paren"],
        ["status:", "field"],
        [">=", "operator"],
        ["500", "value"],
        ["NOT", "keyword"],
        ["size:", "field"],
        ["1kb", "value"],
        ["..", "operator"],
        ["2kb", "value"],
        [")", "paren"],
      ],
    ],
    [
      'type:[json, "xml"]',
      [
        ["type:", "field"],
        ["[", "paren"],
        ["json", "value"],
        [",", "operator"],
        ['"xml"', "value"],
        ["]", "paren"],
      ],
    ],
    [
      "has:header.x https://a.b/c",
      [
        ["has:", "field"],
        ["header.x", "field"],
        ["https://a.b/c", "text"],
      ],
    ],
  ])("%s", (q, expected) => {
    expect(show(q)).toEqual(expected);
  });

  it.each<[string, [string, string][]]>([
    [
      "a hedaer.x:1",
      [
        ["a", "text"],
        ["hedaer.x", "error"],
        [":", "field"],
        ["1", "value"],
      ],
    ],
    [
      "status:abc b",
      [
        ["status:", "field"],
        ["abc", "error"],
        ["b", "text"],
      ],
    ],
    [
      'a "open',
      [
        ["a", "text"],
        ['"open', "error"],
      ],
    ],
    [
      "a)",
      [
        ["a", "text"],
        [")", "error"],
      ],
    ],
  ])("marks the error: %s", (q, expected) => {
    expect(show(q)).toEqual(expected);
  });

  it("keeps colours up to the length bound and marks the excess", () => {
    const spans = highlight(`method:POST ${"a".repeat(2000)}`);
    expect(spans[0]).toEqual({ start: 0, end: 7, kind: "field" });
    expect(spans.at(-1)).toEqual({ start: 2000, end: 2012, kind: "error" });
  });

  it("never throws, spans are ordered and disjoint, over noisy input", () => {
    const alphabet = ['"', "(", ")", "-", ":", "[", "]", ",", ".", "*", ">", "=", "<", " ", "a", "json", "OR", "NOT", "status", "\\", "1"];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      const q = Array.from({ length: rand(12) }, () => alphabet[rand(alphabet.length)]).join("");
      const spans = highlight(q);
      let last = 0;
      for (const s of spans) {
        expect(s.start).toBeGreaterThanOrEqual(last);
        expect(s.end).toBeGreaterThan(s.start);
        expect(s.end).toBeLessThanOrEqual(q.length);
        last = s.end;
      }
    }
  });
});
