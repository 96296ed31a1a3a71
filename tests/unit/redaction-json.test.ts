import { describe, expect, it } from "vitest";
import { JSON_MASK, redactBody } from "@/lib/redaction/mask";
import type { RedactionRule } from "@/lib/redaction/rules";

const enc = new TextEncoder();
const dec = new TextDecoder();
const paths = (...p: string[]): RedactionRule[] => p.map((path) => ({ kind: "json_path", path }));

/**
 * `marked` is the body with each value that must be masked wrapped in «…». The input is the body
 * without the marks; the expected output is the input with exactly those spans replaced.
 */
function check(marked: string, rules: RedactionRule[], contentType = "application/json") {
  const input = marked.replace(/[«»]/g, "");
  const expected = marked.replace(/«[^»]*»/g, JSON_MASK);
  const r = redactBody(enc.encode(input), contentType, rules);
  expect(dec.decode(r.bytes)).toBe(expected);
  expect(r.changed).toBe(expected !== input);
  return r;
}

describe("redactBody: JSON paths", () => {
  it.each<[string, string, string[]]>([
    ["nested object", `{"card":{"number":«"4242424242424242"»,"exp":"12/30"},"number":7}`, ["$.card.number"]],
    ["index", `{"a":[{"b":«1»},{"b":2}]}`, ["$.a[0].b"]],
    ["second index", `{"a":[{"b":1},{"b":«2»}]}`, ["$.a[1].b"]],
    ["wildcard index", `{"a":[{"b":«1»},{"c":2},{"b":«{"x":[1,2]}»}]}`, ["$.a[*].b"]],
    ["dot wildcard", `{"a":{"x":«1»,"y":«"s"»},"b":{"x":2}}`, ["$.a.*"]],
    ["number target", `{"n":«-12.5e+3»,"m":0}`, ["$.n"]],
    ["literal targets", `{"t":«true»,"f":«false»,"z":«null»}`, ["$.t", "$.f", "$.z"]],
    ["object target", `{"user":«{"email":"a@b.c","pw":"x"}»,"id":1}`, ["$.user"]],
    ["array target", `{"tags":«["a", "b"]»}`, ["$.tags"]],
    ["empty containers", `{"o":«{}»,"a":«[]»}`, ["$.o", "$.a"]],
    ["quoted key", `{"odd key":«"v"»,"odd":1}`, [`$["odd key"]`]],
    ["single-quoted key", `{"a.b":«"v"»,"a":{"b":1}}`, [`$['a.b']`]],
    ["key with escaped quote", `{"say \\"hi\\"":«1»}`, [`$["say \\"hi\\""]`]],
    ["key written with a unicode escape", `{"caf\\u00e9":«"x"»}`, ["$.café"]],
    ["path written with a unicode escape", `{"café":«"x"»}`, [`$["caf\\u00e9"]`]],
    ["root array", `[{"email":«"a@x"»},{"email":«"b@x"»}]`, ["$[*].email"]],
    ["no match", `{"a":{"b":1}}`, ["$.a.c", "$.x.b", "$.a[0]"]],
    ["index on object / name on array never match", `{"0":1,"a":[1]}`, ["$[0]", "$.a.length"]],
    ["whole document", `«{"a":1}»`, ["$"]],
  ])("%s", (_, marked, p) => {
    check(marked, paths(...p));
  });

  it("$..email at several depths, inside arrays, and not inside an already masked value", () => {
    const r = check(
      `{"email":«"top@x"»,"a":{"email":«"one@x"»,"list":[{"email":«"two@x"»},[{"deep":{"email":«{"email":"inner"}»}}]]},"emails":["not@x"]}`,
      paths("$..email"),
    );
    expect(r.masked).toEqual([
      { kind: "json_path", rule: 0, path: "$.email" },
      { kind: "json_path", rule: 0, path: "$.a.email" },
      { kind: "json_path", rule: 0, path: "$.a.list[0].email" },
      { kind: "json_path", rule: 0, path: "$.a.list[1][0].deep.email" },
    ]);
  });

  it("recursive descent combined with later segments and with indexes", () => {
    check(`{"x":{"card":{"number":«1»},"y":[{"card":{"number":«2»,"cvc":3}}]},"number":4}`, paths("$..card.number"));
    check(`{"a":[«1»,2],"b":{"c":[«3»]}}`, paths("$..[0]"));
    check(`{"a":{"b":{"a":{"c":«1»}}}}`, paths("$..a..c"));
  });

  it("strings with escapes, unicode and look-alike keys stay byte-identical", () => {
    check(
      `{"note":"he said \\"email\\": \\u0041\\n","email":«"a\\"b\\\\c\\u00e9"»,"x":"\\u00e9 é 😀","\\u0065mail":«"escaped key"»}`,
      paths("$..email"),
    );
  });

  it("pretty-printed bodies keep whitespace, key order and number formatting", () => {
    const marked = `{\r\n\t"b" :  1.50,\n  "secret" :\n    «"s"»  ,\n  "a":[ 1e2 , -0 ,\n\n 3 ]\n}\n\n`;
    check(marked, paths("$.secret"));
  });

  it("reports concrete locations, quoting odd keys", () => {
    const r = check(`{"a b":[{"c":«1»}]}`, paths(`$["a b"][0].c`));
    expect(r.masked).toEqual([{ kind: "json_path", rule: 0, path: `$["a b"][0].c` }]);
  });

  it("keeps invalid UTF-8 elsewhere in the body", () => {
    const head = enc.encode(`{"bin":"`);
    const tail = enc.encode(`","email":"a@b"}`);
    const input = new Uint8Array([...head, 0xff, 0xfe, ...tail]);
    const r = redactBody(input, "application/json", paths("$.email"));
    const expected = new Uint8Array([...head, 0xff, 0xfe, ...enc.encode(`","email":${JSON_MASK}}`)]);
    expect(r.bytes).toEqual(expected);
  });

  it("keeps a UTF-8 BOM", () => {
    const input = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(`{"k":"v"}`)]);
    const r = redactBody(input, "application/json", paths("$.k"));
    expect(Array.from(r.bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(dec.decode(r.bytes.subarray(3))).toBe(`{"k":${JSON_MASK}}`);
  });

  it.each([
    `{"a":1,}`,
    `{"a":1} x`,
    `{"a" 1}`,
    `{"a":01}`,
    `{"a":"\\x"}`,
    `{"a":"line\nbreak"}`,
    `{"a":tru}`,
    `{"a":[1,2}`,
    `{"a":1`,
    `{'a':1}`,
    `{"a":1.}`,
    `[1,]`,
    ``,
  ])("invalid JSON %j gets no path masking", (input) => {
    const bytes = enc.encode(input);
    const r = redactBody(bytes, "application/json", paths("$.a", "$..a", "$[0]"));
    expect(r.changed).toBe(false);
    expect(r.bytes).toBe(bytes);
  });

  it("invalid JSON still gets regex rules", () => {
    const r = redactBody(enc.encode(`{"card": 4242 4242 4242 4242,`), "application/json", [
      { kind: "json_path", path: "$.card" },
      { kind: "regex", pattern: String.raw`\b(?:\d{4}[ -]?){3}\d{4}\b` },
    ]);
    expect(dec.decode(r.bytes)).toBe(`{"card": [REDACTED],`);
    expect(r.masked).toEqual([{ kind: "regex", rule: 1, count: 1 }]);
  });

  it("masks JSON sent with a text/plain or missing content type, but not inside a non-JSON type's text", () => {
    check(`{"token":«"t"»}`, paths("$.token"), "text/plain");
    check(`{"token":«"t"»}`, paths("$.token"), "");
    const xml = enc.encode(`<a token="t"/>`);
    expect(redactBody(xml, "application/xml", paths("$.token")).bytes).toBe(xml);
  });

  it("handles 100,000-deep nesting without overflowing the stack", () => {
    const depth = 100_000;
    const arrays = `${"[".repeat(depth)}{"email":"x"}${"]".repeat(depth)}`;
    const r1 = redactBody(enc.encode(arrays), "application/json", paths("$..email"));
    expect(r1.masked).toHaveLength(1);
    expect(r1.masked[0]).toMatchObject({ kind: "json_path", path: expect.stringMatching(/^\$\[…\](\[0\]){31}\.email$/) });
    expect(dec.decode(r1.bytes)).toBe(`${"[".repeat(depth)}{"email":${JSON_MASK}}${"]".repeat(depth)}`);

    const objects = `${`{"a":`.repeat(depth)}1${"}".repeat(depth)}`;
    const r2 = redactBody(enc.encode(objects), "application/json", paths("$..b", "$.a.a.a"));
    expect(dec.decode(r2.bytes)).toBe(`{"a":{"a":{"a":${JSON_MASK}}}}`);

    const unclosed = "[".repeat(depth);
    expect(redactBody(enc.encode(unclosed), "application/json", paths("$..email")).changed).toBe(false);
  });

  it("masks a 10 MiB body quickly", () => {
    const item = `{"id":123456,"email":"someone@example.com","name":"Ada \\"L\\" Lovelace","tags":["a","b"],"card":{"number":"4242424242424242","exp":"12/30"},"pad":"${"x".repeat(60)}"}`;
    const count = Math.ceil((10 * 1024 * 1024) / (item.length + 1));
    const body = enc.encode(`{"items":[${Array.from({ length: count }, () => item).join(",")}]}`);
    expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
    const started = performance.now();
    const r = redactBody(body, "application/json", paths("$..email", "$.items[*].card.number"));
    const ms = performance.now() - started;
    expect(r.masked).toHaveLength(count * 2);
    expect(r.bytes.length).toBe(
      body.length + count * (JSON_MASK.length - `"someone@example.com"`.length + JSON_MASK.length - `"4242424242424242"`.length),
    );
    expect(ms).toBeLessThan(2000);
  });
});
