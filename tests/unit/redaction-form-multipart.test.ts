import { describe, expect, it } from "vitest";
import { redactBody, VALUE_MASK as R } from "@/lib/redaction/mask";
import type { RedactionRule } from "@/lib/redaction/rules";

const enc = new TextEncoder();
const dec = new TextDecoder();
const FORM = "application/x-www-form-urlencoded";
const field = (name: string): RedactionRule => ({ kind: "form_field", name });
const CARD: RedactionRule = { kind: "regex", pattern: String.raw`\b(?:\d{4}[ -]?){3}\d{4}\b` };

describe("redactBody: urlencoded forms", () => {
  it.each<[string, string, RedactionRule[]]>([
    ["user=ada&password=hunter2", `user=ada&password=${R}`, [field("password")]],
    ["password=a&x=1&password=b&Password=c", `password=${R}&x=1&password=${R}&Password=${R}`, [field("password")]],
    [
      "name=Ada+Lovelace&city=S%C3%A3o%20Paulo&pass%77ord=x%20y",
      `name=Ada+Lovelace&city=S%C3%A3o%20Paulo&pass%77ord=${R}`,
      [field("password")],
    ],
    ["a=1&&b=&password&=v&", "a=1&&b=&password&=v&", [field("password"), field("b")]],
    ["card=4242+4242+4242+4242&n=1", `card=${R}&n=1`, [CARD]],
    ["x_secret=1&secret=2", `x_secret=${R}&secret=2`, [field("*_secret")]],
  ])("%s", (input, expected, rules) => {
    const r = redactBody(enc.encode(input), `${FORM}; charset=utf-8`, rules);
    expect(dec.decode(r.bytes)).toBe(expected);
    expect(r.changed).toBe(input !== expected);
  });

  it("keeps non-UTF-8 bytes elsewhere byte-identical", () => {
    const input = new Uint8Array([...enc.encode("a="), 0xe9, 0xff, ...enc.encode("&password=x")]);
    const r = redactBody(input, FORM, [field("password")]);
    expect(r.bytes).toEqual(new Uint8Array([...enc.encode("a="), 0xe9, 0xff, ...enc.encode(`&password=${R}`)]));
    expect(r.masked).toEqual([{ kind: "form_field", rule: 0, field: "password", index: 1 }]);
  });

  it("reports regex hits with the field", () => {
    const r = redactBody(enc.encode("n=1&card=4242-4242-4242-4242"), FORM, [CARD]);
    expect(r.masked).toEqual([{ kind: "regex", rule: 0, count: 1, field: "card", index: 1 }]);
  });
});

describe("redactBody: multipart", () => {
  const body = (eol: string) =>
    [
      "preamble",
      "--XyZ",
      'Content-Disposition: form-data; name="user"',
      "",
      "ada",
      "--XyZ",
      'Content-Disposition: form-data; name="password"',
      "Content-Type: text/plain; charset=utf-8",
      "",
      "hunter2 with spaces",
      "--XyZ",
      'Content-Disposition: form-data; name="password"; filename="password.txt"',
      "Content-Type: text/plain",
      "",
      "file content 4242 4242 4242 4242",
      "--XyZ",
      'content-disposition: form-data; name="note"',
      "",
      "multi",
      "line 4242424242424242",
      "--XyZ--",
      "epilogue",
    ].join(eol);

  it.each(["\r\n", "\n"])("masks text fields by name and regexes in text parts (eol %j)", (eol) => {
    const input = body(eol);
    const r = redactBody(enc.encode(input), 'multipart/form-data; boundary="XyZ"', [field("password"), CARD]);
    const expected = input
      .replace("hunter2 with spaces", R)
      .replace("file content 4242 4242 4242 4242", `file content ${R}`)
      .replace("line 4242424242424242", `line ${R}`);
    expect(dec.decode(r.bytes)).toBe(expected);
    expect(r.masked).toEqual([
      { kind: "form_field", rule: 0, field: "password", index: 1 },
      { kind: "regex", rule: 1, count: 1, field: "password", index: 2 },
      { kind: "regex", rule: 1, count: 1, field: "note", index: 3 },
    ]);
  });

  it("leaves file parts with binary content and empty fields untouched", () => {
    const head = enc.encode('--b\r\nContent-Disposition: form-data; name="secret"; filename="a.bin"\r\n\r\n');
    const bin = new Uint8Array([0x00, 0xff, 0x42, 0x34, 0x32, 0x34, 0x32]);
    const tail = enc.encode('\r\n--b\r\nContent-Disposition: form-data; name="secret"\r\n\r\n\r\n--b--\r\n');
    const input = new Uint8Array([...head, ...bin, ...tail]);
    const r = redactBody(input, "multipart/form-data; boundary=b", [field("secret"), { kind: "regex", pattern: "B42" }]);
    expect(r.changed).toBe(false);
    expect(r.bytes).toBe(input);
  });

  it("masks the last part of an unterminated body", () => {
    const input = '--b\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc';
    expect(dec.decode(redactBody(enc.encode(input), "multipart/form-data; boundary=b", [field("token")]).bytes)).toBe(
      input.replace("abc", R),
    );
  });

  it("without a boundary falls back to text handling", () => {
    const r = redactBody(enc.encode("4242 4242 4242 4242"), "multipart/form-data", [CARD]);
    expect(dec.decode(r.bytes)).toBe(R);
  });
});

describe("redactBody: regex budget for forms", () => {
  it("tests values that start within the first REDACTION_LIMITS.regexTextBytes only; names always", async () => {
    const { REDACTION_LIMITS } = await import("@/lib/redaction/rules");
    const pad = `p=${"x".repeat(REDACTION_LIMITS.regexTextBytes)}`;
    const input = `a=4242424242424242&${pad}&b=4242424242424242&password=late`;
    const r = redactBody(enc.encode(input), FORM, [CARD, field("password")]);
    expect(dec.decode(r.bytes)).toBe(`a=${R}&${pad}&b=4242424242424242&password=${R}`);
  });
});
