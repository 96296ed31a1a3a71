import { describe, expect, it } from "vitest";
import { dashboardApi, shareApi } from "@/components/inspector/api";
import {
  BUILT_IN_RULES,
  HEADER_MASK,
  VALUE_MASK,
  bodyMaskLabel,
  headerMaskNote,
  headerNotes,
  headersForCopy,
  jsonMaskNote,
  jsonMasks,
  maskedCount,
  queryNotes,
} from "@/components/inspector/masking";
import { parseQueryIndexed } from "@/lib/body/query-params";
import { readableRedactionError, toRule } from "@/components/endpoint-settings/redaction-settings";
import {
  HEADER_MASK as SERVER_HEADER_MASK,
  VALUE_MASK as SERVER_VALUE_MASK,
  redactBody,
  redactHeaders,
  redactQuery,
} from "@/lib/redaction/mask";
import { DEFAULT_REDACTION_RULES, redactionRuleSchema } from "@/lib/redaction/rules";

describe("masked values in the capture detail", () => {
  it("keeps the client's constants in step with the server's", () => {
    expect(HEADER_MASK).toBe(SERVER_HEADER_MASK);
    expect(VALUE_MASK).toBe(SERVER_VALUE_MASK);
    expect(BUILT_IN_RULES).toBe(DEFAULT_REDACTION_RULES.length);
  });

  it("notes masked header rows by position, and says which kind of rule", () => {
    const { pairs, masked } = redactHeaders(
      [
        ["Content-Type", "application/json"],
        ["Authorization", "Bearer SECRET123"],
        ["X-Customer-Id", "c_42"],
      ],
      [...DEFAULT_REDACTION_RULES, { kind: "header", name: "X-Customer-*" }],
    );
    const notes = headerNotes({ headers: masked, query: [], body: [] });
    expect([...notes.keys()]).toEqual([1, 2]);
    expect(notes.get(1)).toMatch(/built-in rule: Authorization is a secret header/);
    expect(notes.get(2)).toMatch(/workspace or endpoint rule/);
    expect(pairs[1]![1]).toBe(`Bearer ${HEADER_MASK}`);
  });

  it("matches query masks to the parsed parameters by their position among & pieces", () => {
    const raw = "a=1&&token=abc&b=2";
    const { query, masked } = redactQuery(raw, DEFAULT_REDACTION_RULES);
    const params = parseQueryIndexed(query);
    const notes = queryNotes({ headers: [], query: masked, body: [] });
    const flagged = params.filter((p) => notes.has(p.index));
    expect(flagged.map((p) => [p.name, p.value])).toEqual([["token", VALUE_MASK]]);
  });

  it("marks the JSON values the server lists as masked, not data that reads [REDACTED]", () => {
    const body = Buffer.from('{"card":{"number":"4242"},"users":[{"email":"a@x"}],"note":"[REDACTED]"}');
    const rules = [
      ...DEFAULT_REDACTION_RULES,
      { kind: "json_path", path: "$.card.number" },
      { kind: "json_path", path: "$..email" },
    ] as const;
    const { masked } = redactBody(body, "application/json", [...rules]);
    const masks = jsonMasks(masked);
    expect(jsonMaskNote(masks, "$.card.number", VALUE_MASK)).toMatch(/workspace or endpoint rule: JSON path \$\.card\.number/);
    expect(jsonMaskNote(masks, "$.users[0].email", VALUE_MASK)).not.toBeNull();
    expect(jsonMaskNote(masks, "$.note", VALUE_MASK)).toBeNull();
    expect(jsonMasks([])).toBeNull();
    // Very deep locations come shortened (`$[…]` + their last keys); pattern matches mark strings holding the mask.
    const deep = jsonMasks([
      { kind: "json_path", rule: 0, path: "$[…].b.c" },
      { kind: "regex", rule: 40, count: 1 },
    ]);
    expect(jsonMaskNote(deep, "$.x.y.b.c", VALUE_MASK)).toMatch(/JSON path/);
    expect(jsonMaskNote(deep, "$.z", `id=${VALUE_MASK}`)).toMatch(/pattern/);
    expect(jsonMaskNote(deep, "$.z", "plain")).toBeNull();
  });

  it("says why a header describing the body is masked", () => {
    expect(headerMaskNote({ index: 3, name: "Content-Length", rule: -1, by: "body" })).toMatch(
      /body is shown masked: Content-Length describes the original bytes/,
    );
  });

  it("words body masks", () => {
    expect(bodyMaskLabel({ kind: "json_path", rule: 31, path: "$.card.number" })).toBe("JSON path $.card.number");
    expect(bodyMaskLabel({ kind: "form_field", rule: 31, field: "password", index: 2 })).toBe("form field “password”");
    expect(bodyMaskLabel({ kind: "regex", rule: 31, count: 3 })).toBe("3 pattern matches");
    expect(bodyMaskLabel({ kind: "regex", rule: 31, count: 1, field: "note", index: 0 })).toBe("1 pattern match in “note”");
    expect(
      maskedCount({
        headers: [{ index: 0, name: "a", rule: 0, by: "name" }],
        query: [],
        body: [{ kind: "json_path", rule: 31, path: "$.a" }],
      }),
    ).toBe(2);
    expect(maskedCount(null)).toBe(0);
  });

  it("copies masked headers in ASCII and drops Content-Encoding for a body the server decoded", () => {
    const headers: [string, string][] = [
      ["Authorization", `Bearer ${HEADER_MASK}`],
      ["Content-Encoding", "gzip"],
      ["X-Note", "keep ••••••"],
    ];
    const masked = { headers: [{ index: 0, name: "Authorization", rule: 0, by: "name" as const }], query: [], body: [] };
    expect(headersForCopy(headers, masked, true)).toEqual([
      ["Authorization", "Bearer [REDACTED]"],
      ["X-Note", "keep ••••••"],
    ]);
    expect(headersForCopy(headers, masked, false)).toHaveLength(3);
  });
});

describe("inspector API addresses", () => {
  it("dashboard: reveal, download and decode are query flags on the capture API", () => {
    const api = dashboardApi("ep_1");
    expect(api.captures("")).toBe("/api/endpoints/ep_1/captures?");
    expect(api.captures("method=POST")).toBe("/api/endpoints/ep_1/captures?method=POST&");
    expect(api.stream(7)).toBe("/api/endpoints/ep_1/stream?lastEventId=7");
    expect(api.capture("cap_1")).toBe("/api/captures/cap_1");
    expect(api.capture("cap_1", { reveal: true })).toBe("/api/captures/cap_1?reveal=1");
    expect(api.body("cap_1", { download: true })).toBe("/api/captures/cap_1/body?download=1");
    expect(api.body("cap_1", { reveal: true, download: true })).toBe("/api/captures/cap_1/body?reveal=1&download=1");
    expect(api.captureHref("cap_1")).toBe("/e/ep_1/c/cap_1");
  });

  it("share: everything under /api/share/<token>, never a reveal", () => {
    const api = shareApi("hs_shr_abc");
    expect(api.endpoint).toBeNull();
    expect(api.captures("")).toBe("/api/share/hs_shr_abc/captures?");
    expect(api.stream(0)).toBe("/api/share/hs_shr_abc/stream?lastEventId=0");
    expect(api.capture("cap_1", { reveal: true })).toBe("/api/share/hs_shr_abc/captures/cap_1");
    expect(api.body("cap_1", { reveal: true, download: true })).toBe("/api/share/hs_shr_abc/captures/cap_1/body");
    expect(api.body("cap_1", { decode: true })).toBe("/api/share/hs_shr_abc/captures/cap_1/body?decode=1");
    expect(api.captureHref("cap_1")).toBe("/s/hs_shr_abc?c=cap_1");
  });
});

describe("endpoint redaction form", () => {
  it("builds rules the API schema accepts", () => {
    for (const [kind, value] of [
      ["header", "X-Customer-*"],
      ["json_path", "$.card.number"],
      ["form_field", "password"],
      ["query_param", "sig"],
      ["regex", String.raw`\b\d{4}-\d{4}\b`],
    ] as const) {
      expect(redactionRuleSchema.safeParse(toRule({ kind, value })).success).toBe(true);
    }
  });

  it("names rules the way the form does", () => {
    expect(
      readableRedactionError({ message: "", issues: [{ path: ["redactionRules", 1, "path"], message: "invalid JSON path: x" }] }),
    ).toBe("Rule 2: invalid JSON path: x");
  });
});
