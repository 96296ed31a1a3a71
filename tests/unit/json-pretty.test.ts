import { describe, expect, it } from "vitest";
import { jsonDepth, prettyJson } from "@/lib/body/json-pretty";

describe("pretty JSON", () => {
  it("re-indents without changing tokens", () => {
    const r = prettyJson('{"big":12345678901234567890,"a":[1, 2],"e":{},"dup":1,"dup":2,"s":"x\\"{,:"}');
    expect(r).toEqual({
      ok: true,
      text: '{\n  "big": 12345678901234567890,\n  "a": [\n    1,\n    2\n  ],\n  "e": {},\n  "dup": 1,\n  "dup": 2,\n  "s": "x\\"{,:"\n}',
    });
  });

  it("marks string values by location (keys, array indexes, odd keys), keys never", () => {
    const seen: string[] = [];
    const r = prettyJson(
      '{"a":{"pin":"[REDACTED]"},"list":[{"x":"1"},{"x":"[REDACTED]"}],"odd key":"v","pin":"k"}',
      undefined,
      (loc, value) => {
        seen.push(loc);
        return value === "[REDACTED]" ? `masked at ${loc}` : null;
      },
    );
    expect(seen).toEqual(["$.a.pin", "$.list[0].x", "$.list[1].x", '$["odd key"]', "$.pin"]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.marks!.map((m) => [r.text.slice(m.start, m.end), m.note])).toEqual([
      ['"[REDACTED]"', "masked at $.a.pin"],
      ['"[REDACTED]"', "masked at $.list[1].x"],
    ]);
    // Without a marker the result is as before.
    expect(prettyJson('{"a":1}')).toEqual({ ok: true, text: '{\n  "a": 1\n}' });
  });

  it("keeps whitespace inside strings and empty arrays compact", () => {
    expect(prettyJson('[ "a  b" , [ ] ]')).toEqual({ ok: true, text: '[\n  "a  b",\n  []\n]' });
  });

  it("refuses invalid JSON with a reason", () => {
    const r = prettyJson("{nope}");
    expect(r.ok).toBe(false);
  });

  it("counts depth ignoring brackets in strings", () => {
    expect(jsonDepth('{"a":"[[[[","b":[[1]]}')).toBe(3);
  });

  it("falls back quickly for a deeply nested 10 MB body", () => {
    const n = 5 * 1024 * 1024;
    const deep = "[".repeat(n) + "]".repeat(n);
    const started = performance.now();
    const r = prettyJson(deep, { maxInputChars: 16 * 1024 * 1024, maxDepth: 64, maxOutputChars: 8 * 1024 * 1024 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/nested/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("falls back for input over the size cap", () => {
    const r = prettyJson(`"${"x".repeat(100)}"`, { maxInputChars: 50, maxDepth: 64, maxOutputChars: 1000 });
    expect(r.ok).toBe(false);
  });
});
