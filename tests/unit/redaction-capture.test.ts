import { describe, expect, it } from "vitest";
import { redactCapture } from "@/lib/redaction/apply";
import { HEADER_MASK, JSON_MASK, redactBody, VALUE_MASK } from "@/lib/redaction/mask";
import { DEFAULT_REDACTION_RULES, REDACTION_LIMITS, type RedactionRule } from "@/lib/redaction/rules";

const enc = new TextEncoder();
const dec = new TextDecoder();
const CARD: RedactionRule = { kind: "regex", pattern: String.raw`\b(?:\d{4}[ -]?){3}\d{4}\b` };

describe("redactCapture", () => {
  it("masks the default secrets and reports each one", () => {
    const body = enc.encode(`{"user":{"email":"ada@example.test"},"db":"postgres://app:pw@db.internal/x"}`);
    const rules: RedactionRule[] = [...DEFAULT_REDACTION_RULES, { kind: "json_path", path: "$..email" }];
    const r = redactCapture(
      {
        headers: [
          ["Host", "hooks.test"],
          ["Authorization", "Bearer SECRET123"],
          ["Content-Type", "application/json"],
          ["Stripe-Signature", "t=1,v1=abc"],
        ],
        query: "?token=SECRET123&page=2",
        body,
      },
      rules,
    );
    expect(r.headers).toEqual([
      ["Host", "hooks.test"],
      ["Authorization", `Bearer ${HEADER_MASK}`],
      ["Content-Type", "application/json"],
      ["Stripe-Signature", HEADER_MASK],
    ]);
    expect(r.query).toBe(`?token=${VALUE_MASK}&page=2`);
    expect(dec.decode(r.body)).toBe(`{"user":{"email":${JSON_MASK}},"db":"postgres://${VALUE_MASK}@db.internal/x"}`);
    expect(JSON.stringify({ ...r, body: dec.decode(r.body) })).not.toContain("SECRET123");
    expect(r.masked.headers.map((m) => m.index)).toEqual([1, 3]);
    expect(r.masked.query).toHaveLength(1);
    expect(r.masked.body).toEqual([
      { kind: "json_path", rule: rules.length - 1, path: "$.user.email" },
      { kind: "regex", rule: DEFAULT_REDACTION_RULES.length - 1, count: 1 },
    ]);
    expect(r.changed).toBe(true);
    expect(dec.decode(body)).toContain("ada@example.test"); // input untouched
  });

  it("uses the explicit content type over the header and returns the body as is when nothing matched", () => {
    const body = enc.encode("password=x");
    const r = redactCapture(
      { headers: [["Content-Type", "text/plain"]], query: "", body, contentType: "application/x-www-form-urlencoded" },
      [{ kind: "form_field", name: "password" }],
    );
    expect(dec.decode(r.body)).toBe(`password=${VALUE_MASK}`);
    const untouched = redactCapture({ headers: [], query: "a=1", body }, DEFAULT_REDACTION_RULES);
    expect(untouched.body).toBe(body);
    expect(untouched.changed).toBe(false);
  });
});

describe("regex rules over text bodies", () => {
  it.each<[string, string]>([
    ["pay with 4242 4242 4242 4242 today", `pay with ${VALUE_MASK} today`],
    ["4242-4242-4242-4242,5555555555554444", `${VALUE_MASK},${VALUE_MASK}`],
    ["order 12345678 and 424242424242", "order 12345678 and 424242424242"],
  ])("%s", (text, expected) => {
    expect(dec.decode(redactBody(enc.encode(text), "text/plain", [CARD]).bytes)).toBe(expected);
  });

  it("masks matches inside JSON strings after path masking", () => {
    const r = redactBody(enc.encode(`{"a":"x","note":"card 4242424242424242 ok"}`), "application/json", [
      { kind: "json_path", path: "$.a" },
      CARD,
    ]);
    expect(dec.decode(r.bytes)).toBe(`{"a":${JSON_MASK},"note":"card ${VALUE_MASK} ok"}`);
  });

  it("applies flags", () => {
    const r = redactBody(enc.encode("Secret: x\nsecret: y"), "text/plain", [{ kind: "regex", pattern: "^secret: \\w+$", flags: "im" }]);
    expect(dec.decode(r.bytes)).toBe(`${VALUE_MASK}\n${VALUE_MASK}`);
  });

  it("skips bodies that are not valid UTF-8", () => {
    const input = new Uint8Array([...enc.encode("4242 4242 4242 4242 "), 0xff]);
    expect(redactBody(input, "application/octet-stream", [CARD]).bytes).toBe(input);
  });

  it("only looks at the first REDACTION_LIMITS.regexTextBytes bytes, cutting on a character boundary", () => {
    const filler = "é".repeat(REDACTION_LIMITS.regexTextBytes / 2 - 10); // 2 bytes each
    const text = `4242424242424242 ${filler}x 4242424242424242 tail`;
    const r = redactBody(enc.encode(text), "text/plain", [CARD]);
    expect(dec.decode(r.bytes)).toBe(`${VALUE_MASK} ${filler}x 4242424242424242 tail`);
  });
});
