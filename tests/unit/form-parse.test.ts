import { describe, expect, it } from "vitest";
import { decodeFormComponent, parseForm } from "@/lib/body/form";

const rows = (s: string) => parseForm(s).fields.map((f) => [f.name, f.value, f.malformed]);

describe("parseForm", () => {
  it.each([
    [
      "a=1&b=2",
      [
        ["a", "1", false],
        ["b", "2", false],
      ],
    ],
    [
      "tag=a&tag=b&x=&tag=c",
      [
        ["tag", "a", false],
        ["tag", "b", false],
        ["x", "", false],
        ["tag", "c", false],
      ],
    ],
    [
      "name=Ada+Lovelace&city=S%C3%A3o%20Paulo",
      [
        ["name", "Ada Lovelace", false],
        ["city", "São Paulo", false],
      ],
    ],
    ["a%2Bb=c%26d%3De", [["a+b", "c&d=e", false]]],
    [
      "flag&&=v&",
      [
        ["flag", "", false],
        ["", "v", false],
      ],
    ],
    [
      "bad=%zz&pct=100%&half=%4",
      [
        ["bad", "%zz", true],
        ["pct", "100%", true],
        ["half", "%4", true],
      ],
    ],
    ["latin=%E9t%E9", [["latin", "\ufffdt\ufffd", true]]],
    ["emoji=%F0%9F%98%80", [["emoji", "😀", false]]],
    ["k=v=w", [["k", "v=w", false]]],
    ["", []],
  ])("%j", (input, expected) => {
    expect(rows(input)).toEqual(expected);
  });

  it("caps at 1,000 fields and counts the rest", () => {
    const body = Array.from({ length: 2500 }, (_, i) => `k${i}=${i}`).join("&");
    const r = parseForm(body);
    expect(r.fields).toHaveLength(1000);
    expect(r.total).toBe(2500);
    expect(r.truncated).toBe(true);
    expect(r.fields[999]).toEqual({ name: "k999", value: "999", malformed: false });
  });

  it("decodes components without ever throwing", () => {
    for (const s of ["%", "%%", "%%%41", "+%+", "%C3", "%C3%28", "a%"]) expect(() => decodeFormComponent(s)).not.toThrow();
    expect(decodeFormComponent("%%%41")).toEqual({ text: "%%A", ok: false });
  });
});
