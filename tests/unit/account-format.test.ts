import { describe, expect, test } from "vitest";
import { auditDetail, auditTarget } from "@/components/account/audit-format";
import { buildRule, readableRulesError, ruleValue, sameRule } from "@/components/account/redaction-draft";
import { signUpErrors } from "@/components/account/signin-error";
import { rolesUpTo } from "@/components/account/role-label";
import type { RedactionRule } from "@/lib/redaction/rules";

describe("buildRule", () => {
  test.each([
    ["header", " X-Customer-* ", "", { kind: "header", name: "X-Customer-*" }],
    ["json_path", "$..email", "", { kind: "json_path", path: "$..email" }],
    ["form_field", "password", "", { kind: "form_field", name: "password" }],
    ["query_param", "sig", "", { kind: "query_param", name: "sig" }],
    ["regex", " \\d+ ", "", { kind: "regex", pattern: " \\d+ " }],
    ["regex", "abc", "i, m", { kind: "regex", pattern: "abc", flags: "im" }],
  ] as const)("%s %j", (kind, value, flags, rule) => {
    expect(buildRule(kind, value, flags)).toEqual({ rule });
  });

  test("empty values are refused before the API sees them", () => {
    expect(buildRule("json_path", "   ")).toEqual({ error: "Enter a json path." });
    expect(buildRule("regex", "")).toEqual({ error: "Enter a regex." });
  });

  test("ruleValue and sameRule", () => {
    const rules: RedactionRule[] = [
      { kind: "header", name: "A" },
      { kind: "json_path", path: "$.a" },
      { kind: "regex", pattern: "x", flags: "i" },
    ];
    expect(rules.map(ruleValue)).toEqual(["A", "$.a", "x"]);
    expect(sameRule(rules[0]!, { kind: "header", name: "A" })).toBe(true);
    expect(sameRule(rules[0]!, { kind: "form_field", name: "A" })).toBe(false);
    expect(sameRule(rules[2]!, { kind: "regex", pattern: "x" })).toBe(false);
  });
});

describe("readableRulesError", () => {
  const sent: RedactionRule[] = [
    { kind: "header", name: "Bad Header" },
    { kind: "form_field", name: "password" },
    { kind: "json_path", path: "$.[" },
  ];

  test("names each rule by number and value", () => {
    const r = readableRulesError(
      {
        message: "(the flattened form, not read)",
        issues: [
          { path: ["redactionRules", 2, "path"], message: "invalid JSON path: unexpected end" },
          { path: ["redactionRules", 0, "name"], message: "not a header name (letters, digits and !#$%&'*+-.^_`|~; * is a wildcard)" },
        ],
      },
      sent,
    );
    expect(r.text).toBe(
      "Rule 3 (JSON path $.[): invalid JSON path: unexpected end\nRule 1 (Header name Bad Header): not a header name (letters, digits and !#$%&'*+-.^_`|~; * is a wildcard)",
    );
    expect(r.badIndexes).toEqual([0, 2]);
  });

  test("other messages pass through", () => {
    const tooMany = {
      message: "redactionRules: Too big",
      issues: [{ path: ["redactionRules"], message: "Too big: expected array to have <=200 items" }],
    };
    expect(readableRulesError(tooMany, sent)).toEqual({
      text: "Rules: Too big: expected array to have <=200 items",
      badIndexes: [],
    });
    expect(readableRulesError({ message: "This needs the admin role or higher in the workspace.", issues: [] }, sent).text).toBe(
      "This needs the admin role or higher in the workspace.",
    );
  });

  test("an index beyond the list still reads", () => {
    expect(readableRulesError({ message: "", issues: [{ path: ["redactionRules", 7], message: "bad" }] }, sent).text).toBe("Rule 8: bad");
  });
});

describe("audit entries", () => {
  test.each([
    [{ target: null, detail: {} }, "", ""],
    [{ target: { type: "user", id: "usr_1" }, detail: { from: "member", to: "viewer" } }, "user usr_1", "member → viewer"],
    [{ target: { type: "token", id: "tok_1" }, detail: { name: "CI", role: "member" } }, "token CI (tok_1)", "role: member"],
    [
      { target: { type: "workspace", id: "ws_1" }, detail: { fields: ["name", "redactionRules"] } },
      "workspace ws_1",
      "fields: name, redactionRules",
    ],
    [{ target: { type: "user", id: "usr_2" }, detail: { role: "admin", left: true } }, "user usr_2", "role: admin; left: true"],
    [{ target: { type: "endpoint", id: "ep_1" }, detail: { nested: { a: 1 } } }, "endpoint ep_1", 'nested: {"a":1}'],
  ])("%j", (entry, target, detail) => {
    expect(auditTarget(entry)).toBe(target);
    expect(auditDetail(entry)).toBe(detail);
  });
});

describe("misc", () => {
  test("rolesUpTo", () => {
    expect(rolesUpTo("viewer")).toEqual(["viewer"]);
    expect(rolesUpTo("admin")).toEqual(["viewer", "member", "admin"]);
    expect(rolesUpTo("owner")).toEqual(["viewer", "member", "admin", "owner"]);
  });

  test("signUpErrors: each issue at its field, said without repeating the field's name", () => {
    const issues = [
      { path: ["password"], message: "password must be at least 8 characters" },
      { path: ["email"], message: "Invalid email address" },
    ];
    expect(signUpErrors({ message: "password: …; email: …", issues })).toEqual({
      fields: { password: "Must be at least 8 characters", email: "Invalid email address" },
      form: null,
    });
    expect(signUpErrors({ message: "x", issues: [{ path: [], message: "Invalid input" }] })).toEqual({ fields: {}, form: "Invalid input" });
    const disabled = "Sign-up is disabled on this server; ask for an invite.";
    expect(signUpErrors({ message: disabled, issues: [] })).toEqual({ fields: {}, form: disabled });
  });
});
