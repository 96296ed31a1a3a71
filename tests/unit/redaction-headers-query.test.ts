import { describe, expect, it } from "vitest";
import type { HeaderPairs } from "@/lib/model/capture";
import { HEADER_MASK as M, redactHeaders, redactQuery, VALUE_MASK } from "@/lib/redaction/mask";
import { DEFAULT_REDACTION_RULES, DEFAULT_SECRET_HEADERS, type RedactionRule } from "@/lib/redaction/rules";

const header = (name: string): RedactionRule => ({ kind: "header", name });

describe("redactHeaders", () => {
  it("matches names case-insensitively and keeps order, case and duplicates", () => {
    const pairs: HeaderPairs = [
      ["Host", "example.test"],
      ["x-api-key", "k1"],
      ["Accept", "*/*"],
      ["X-API-KEY", "k2"],
      ["x-api-key", "k3"],
    ];
    const r = redactHeaders(pairs, [header("X-Api-Key")]);
    expect(r.pairs).toEqual([
      ["Host", "example.test"],
      ["x-api-key", M],
      ["Accept", "*/*"],
      ["X-API-KEY", M],
      ["x-api-key", M],
    ]);
    expect(r.masked).toEqual([
      { index: 1, name: "x-api-key", rule: 0, by: "name" },
      { index: 3, name: "X-API-KEY", rule: 0, by: "name" },
      { index: 4, name: "x-api-key", rule: 0, by: "name" },
    ]);
    expect(pairs[1]).toEqual(["x-api-key", "k1"]); // input untouched
  });

  it.each<[string, string, string]>([
    ["Authorization", "Bearer SECRET123", `Bearer ${M}`],
    ["authorization", "bearer   SECRET123", `bearer ${M}`],
    ["Authorization", "Basic dXNlcjpwYXNz", `Basic ${M}`],
    ["Proxy-Authorization", "Digest username=x, response=y", `Digest ${M}`],
    ["Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20260101, Signature=ab", `AWS4-HMAC-SHA256 ${M}`],
    // An unknown first word may be the secret itself: mask it all.
    ["Authorization", "sk_live_abc def", M],
    ["Authorization", "SECRET123", M],
    ["Authorization", "Bearer", M],
    ["Cookie", "sid=abc; theme=dark", `sid=${M}; theme=${M}`],
    ["Cookie", "weird value without names", M],
    ["Set-Cookie", "sid=abc; Path=/; HttpOnly; Secure", `sid=${M}; Path=/; HttpOnly; Secure`],
    ["Set-Cookie", "=abc; Path=/", M],
    ["X-Hub-Signature-256", "sha256=abcdef", M],
  ])("%s: %s", (name, value, expected) => {
    expect(redactHeaders([[name, value]], DEFAULT_REDACTION_RULES).pairs).toEqual([[name, expected]]);
  });

  it.each<[string, boolean]>([
    ["X-Auth-Token", true],
    ["x-csrf-token", true],
    ["X-Client-Secret", true],
    ["Token", false],
    ["X-Token-Type", false],
    ["Content-Type", false],
    ["User-Agent", false],
    ["X-Request-Id", false],
    // Any `*-Signature` header, not only the providers named in the list.
    ["X-Acme-Signature", true],
    ["Acme-Webhook-Signature", true],
    ["X-Signature-Type", false],
    ...DEFAULT_SECRET_HEADERS.filter((h) => !h.includes("*")).map((h): [string, boolean] => [h.toLowerCase(), true]),
  ])("default rules mask %s: %s", (name, masked) => {
    const r = redactHeaders([[name, "value"]], DEFAULT_REDACTION_RULES);
    expect(r.masked.length > 0).toBe(masked);
    expect(r.pairs[0]?.[1]).toBe(masked ? M : "value");
  });

  it("leaves empty values alone", () => {
    expect(redactHeaders([["Authorization", ""]], DEFAULT_REDACTION_RULES)).toEqual({ pairs: [["Authorization", ""]], masked: [] });
  });

  it("applies regex rules to values, masking only the matches", () => {
    const rules: RedactionRule[] = [{ kind: "regex", pattern: String.raw`\b(?:\d{4}[ -]?){3}\d{4}\b` }];
    const r = redactHeaders(
      [
        ["X-Note", "card 4242 4242 4242 4242 ok"],
        ["X-Other", "1234"],
      ],
      rules,
    );
    expect(r.pairs).toEqual([
      ["X-Note", `card ${M} ok`],
      ["X-Other", "1234"],
    ]);
    expect(r.masked).toEqual([{ index: 0, name: "X-Note", rule: 0, by: "regex" }]);
  });

  it("masks URL userinfo in header values by default", () => {
    const r = redactHeaders(
      [
        ["Referer", "https://user:pa55@example.test/x?y=1"],
        ["Location", "https://example.test/a@b"],
      ],
      DEFAULT_REDACTION_RULES,
    );
    expect(r.pairs).toEqual([
      ["Referer", `https://${M}@example.test/x?y=1`],
      ["Location", "https://example.test/a@b"],
    ]);
  });

  it("takes an ASCII mask for redact-at-ingest", () => {
    const r = redactHeaders([["Authorization", "Bearer x"]], DEFAULT_REDACTION_RULES, { headerMask: VALUE_MASK });
    expect(r.pairs).toEqual([["Authorization", `Bearer ${VALUE_MASK}`]]);
  });
});

describe("redactQuery", () => {
  const R = VALUE_MASK;
  it.each<[string, string]>([
    ["token=abc", `token=${R}`],
    ["?token=abc&x=1", `?token=${R}&x=1`],
    ["a=%20b+c&key=s%3Dcr+et&z=%E2%9C%93", `a=%20b+c&key=${R}&z=%E2%9C%93`],
    ["api_key=1&API_KEY=2&access_token=3&Token=4", `api_key=${R}&API_KEY=${R}&access_token=${R}&Token=${R}`],
    ["%74oken=abc", `%74oken=${R}`],
    ["token=a&token=b&tokens=c", `token=${R}&token=${R}&tokens=c`],
    ["token=&token&=x&&key", "token=&token&=x&&key"],
    ["monkey=1&keys=2", "monkey=1&keys=2"],
    ["", ""],
    ["?", "?"],
    ["next=https%3A%2F%2Fu%3Ap%40h.test%2F&x=1", `next=${R}&x=1`],
  ])("%s", (raw, expected) => {
    expect(redactQuery(raw, DEFAULT_REDACTION_RULES).query).toBe(expected);
  });

  it("reports decoded names and pair positions", () => {
    expect(redactQuery("a=1&%74oken=x&b=2&key=y", DEFAULT_REDACTION_RULES).masked).toEqual([
      {
        index: 1,
        name: "token",
        rule: DEFAULT_REDACTION_RULES.findIndex((r) => r.kind === "query_param" && r.name === "token"),
        by: "name",
      },
      { index: 3, name: "key", rule: DEFAULT_REDACTION_RULES.findIndex((r) => r.kind === "query_param" && r.name === "key"), by: "name" },
    ]);
  });

  it("applies regexes to decoded values", () => {
    const rules: RedactionRule[] = [{ kind: "regex", pattern: String.raw`\b(?:\d{4}[ -]?){3}\d{4}\b` }];
    expect(redactQuery("n=4242%204242+4242-4242&m=42", rules)).toEqual({
      query: `n=${R}&m=42`,
      masked: [{ index: 0, name: "n", rule: 0, by: "regex" }],
    });
  });

  it("supports wildcards in parameter names", () => {
    expect(redactQuery("x_sig=1&sig=2&x_sign=3", [{ kind: "query_param", name: "*_sig" }]).query).toBe(`x_sig=${R}&sig=2&x_sign=3`);
  });
});
