import { validateHeaderValue } from "node:http";
import { describe, expect, it } from "vitest";
import { MAX_RULE_BODY_BYTES, responseRuleSchema, type ResponseRule } from "@/lib/endpoints/response-rule";

const base: ResponseRule = { status: 200, headers: [["X-Test", "1"]], body: "ok", delayMs: 0 };
const withRule = (over: Partial<Record<keyof ResponseRule, unknown>>) => ({ ...base, ...over });

describe("responseRuleSchema", () => {
  it.each([
    { name: "a normal rule", rule: base },
    { name: "the default rule", rule: { status: 200, headers: [], body: null, delayMs: 0 } },
    { name: "status 201 with JSON body", rule: withRule({ status: 201, headers: [["Content-Type", "application/json"]], body: "{}" }) },
    { name: "status 599", rule: withRule({ status: 599 }) },
    { name: "status 418", rule: withRule({ status: 418 }) },
    { name: "delay 30000", rule: withRule({ delayMs: 30_000 }) },
    { name: "a body of exactly 256 KiB", rule: withRule({ body: "a".repeat(MAX_RULE_BODY_BYTES) }) },
    { name: "a multi-byte body of exactly 256 KiB", rule: withRule({ body: "é".repeat(MAX_RULE_BODY_BYTES / 2) }) },
    { name: "an empty body", rule: withRule({ body: "" }) },
    { name: "50 headers", rule: withRule({ headers: Array.from({ length: 50 }, (_, i) => [`X-H${i}`, "v"]) }) },
    { name: "a header value with a tab", rule: withRule({ headers: [["X-A", "a\tb"]] }) },
    {
      name: "Location and Cache-Control headers",
      rule: withRule({
        status: 302,
        headers: [
          ["Location", "/x"],
          ["Cache-Control", "no-store"],
        ],
      }),
    },
  ])("accepts $name", ({ rule }) => {
    const r = responseRuleSchema.safeParse(rule);
    expect(r.success).toBe(true);
    expect(r.data).toEqual(rule);
  });

  it.each([
    { name: "status 99", rule: withRule({ status: 99 }) },
    { name: "status 100", rule: withRule({ status: 100 }) },
    { name: "status 101", rule: withRule({ status: 101 }) },
    { name: "status 103", rule: withRule({ status: 103 }) },
    { name: "status 199", rule: withRule({ status: 199 }) },
    { name: "status 600", rule: withRule({ status: 600 }) },
    { name: "status 200.5", rule: withRule({ status: 200.5 }) },
    { name: "status as a string", rule: withRule({ status: "200" }) },
    { name: "Set-Cookie", rule: withRule({ headers: [["Set-Cookie", "a=b"]] }) },
    { name: "set-cookie", rule: withRule({ headers: [["set-cookie", "a=b"]] }) },
    { name: "SET-COOKIE", rule: withRule({ headers: [["SET-COOKIE", "a=b"]] }) },
    {
      name: "Set-Cookie after an allowed header",
      rule: withRule({
        headers: [
          ["X-A", "1"],
          ["sEt-CoOkIe", "a=b"],
        ],
      }),
    },
    { name: "Content-Length", rule: withRule({ headers: [["Content-Length", "5"]] }) },
    { name: "content-LENGTH", rule: withRule({ headers: [["content-LENGTH", "5"]] }) },
    { name: "Transfer-Encoding", rule: withRule({ headers: [["Transfer-Encoding", "chunked"]] }) },
    { name: "TRANSFER-ENCODING", rule: withRule({ headers: [["TRANSFER-ENCODING", "chunked"]] }) },
    { name: "Connection", rule: withRule({ headers: [["Connection", "close"]] }) },
    { name: "a value with CRLF", rule: withRule({ headers: [["X-A", "a\r\nSet-Cookie: x=y"]] }) },
    { name: "a value with LF", rule: withRule({ headers: [["X-A", "a\nb"]] }) },
    { name: "a value with CR", rule: withRule({ headers: [["X-A", "a\rb"]] }) },
    { name: "a value with NUL", rule: withRule({ headers: [["X-A", "a\0b"]] }) },
    { name: "a header name with a space", rule: withRule({ headers: [["X A", "1"]] }) },
    { name: "a header name with a colon", rule: withRule({ headers: [["X-A:", "1"]] }) },
    { name: "an empty header name", rule: withRule({ headers: [["", "1"]] }) },
    { name: "51 headers", rule: withRule({ headers: Array.from({ length: 51 }, (_, i) => [`X-H${i}`, "v"]) }) },
    { name: "a body of 256 KiB + 1 byte", rule: withRule({ body: "a".repeat(MAX_RULE_BODY_BYTES + 1) }) },
    { name: "a multi-byte body over 256 KiB in bytes", rule: withRule({ body: "é".repeat(MAX_RULE_BODY_BYTES / 2 + 1) }) },
    { name: "delay 30001", rule: withRule({ delayMs: 30_001 }) },
    { name: "delay -1", rule: withRule({ delayMs: -1 }) },
    { name: "delay 1.5", rule: withRule({ delayMs: 1.5 }) },
    // Origin-wide headers on the default single-origin setup (issue 14 item 4).
    { name: "Clear-Site-Data", rule: withRule({ headers: [["Clear-Site-Data", '"cookies"']] }) },
    { name: "Strict-Transport-Security", rule: withRule({ headers: [["strict-transport-security", "max-age=31536000"]] }) },
    { name: "NEL", rule: withRule({ headers: [["NEL", '{"report_to":"a","max_age":9}']] }) },
    { name: "Report-To", rule: withRule({ headers: [["Report-To", "{}"]] }) },
    { name: "a cross-origin Location", rule: withRule({ status: 302, headers: [["Location", "https://evil.example/"]] }) },
    { name: "a scheme-relative Location", rule: withRule({ status: 302, headers: [["Location", "//evil.example/"]] }) },
    { name: "Refresh to another origin", rule: withRule({ headers: [["Refresh", "0; url=https://evil.example/"]] }) },
    { name: "X-Hookscope-Capture-Id", rule: withRule({ headers: [["X-Hookscope-Capture-Id", "cap_x"]] }) },
    { name: "X-Accel-Redirect", rule: withRule({ headers: [["X-Accel-Redirect", "/internal"]] }) },
  ])("rejects $name", ({ rule }) => {
    expect(responseRuleSchema.safeParse(rule).success).toBe(false);
  });

  // BUG (reported, not fixed here): the schema only refuses CR, LF and NUL in header values, but
  // Node refuses any other control character and any character above U+00FF when the rule is
  // applied (res.writeHead throws ERR_INVALID_CHAR): the schema must refuse them up front.
  it.each([
    ["X-A", "\u0001"],
    ["X-A", "price: €5"],
    ["X-A", "\u007f"],
  ])("a header value the schema accepts is one Node can send (%s: %j)", (name, value) => {
    const accepted = responseRuleSchema.safeParse(withRule({ headers: [[name, value]] })).success;
    let nodeAccepts = true;
    try {
      validateHeaderValue(name, value);
    } catch {
      nodeAccepts = false;
    }
    expect(accepted).toBe(nodeAccepts);
  });
});
