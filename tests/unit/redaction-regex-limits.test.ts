// Issue 14 item 1: a redaction regex must not be able to freeze the server. Save-time limits
// (program size, nested repetition, nesting), and the per-call budget that fails closed.
import { describe, expect, it } from "vitest";
import { RedactionBudget, REDACTION_BUDGET } from "@/lib/redaction/budget";
import { redactBody, redactHeaders, redactQuery } from "@/lib/redaction/mask";
import { parseStoredRules } from "@/lib/redaction/policy";
import { redactionRulesSchema, type RedactionRule } from "@/lib/redaction/rules";
import { compileRedactionRegex, REGEX_LIMITS, repetitionShape } from "@/lib/redaction/safe-regex";

const refusal = (pattern: string) => {
  const r = compileRedactionRegex(pattern);
  return r.ok ? null : r.error;
};

describe("regex compile limits", () => {
  it("refuses the issue's nested counted repetition, naming the limit", () => {
    expect(refusal("((a{1,10}){1,10}){1,10}$")).toBe(`nested repetition expands to 1000 copies (at most ${REGEX_LIMITS.maxRepeatProduct})`);
  });

  it("refuses a program that is too large even without nesting", () => {
    // 20 × [A-Za-z0-9]{1,50}: each repetition is small, the program is not.
    const pattern = Array.from({ length: 20 }, () => "[A-Za-z0-9]{1,50}").join("-");
    expect(refusal(pattern)).toMatch(new RegExp(`^compiles to \\d+ instructions \\(at most ${REGEX_LIMITS.maxProgramSize}\\)$`));
  });

  it("refuses groups nested deeper than the limit", () => {
    const pattern = `${"(".repeat(REGEX_LIMITS.maxNestingDepth + 1)}a${")".repeat(REGEX_LIMITS.maxNestingDepth + 1)}`;
    expect(refusal(pattern.slice(0, REGEX_LIMITS.maxPatternLength))).not.toBeNull();
    expect(repetitionShape(pattern).depth).toBe(REGEX_LIMITS.maxNestingDepth + 1);
  });

  it("accepts ordinary patterns", () => {
    for (const p of [
      String.raw`password=(?P<mask>\S+)`,
      String.raw`\d{4}`,
      String.raw`[A-Z]{2}\d{6}`,
      "sk_live_[0-9a-zA-Z]{24}",
      "(?i)[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,255}",
      String.raw`(\d{1,3}\.){3}\d{1,3}`,
    ]) {
      expect(refusal(p), p).toBeNull();
    }
  });

  it("measures nested repetition through classes, escapes and alternation", () => {
    expect(repetitionShape(String.raw`(\d{1,3}\.){3}`).product).toBe(9);
    expect(repetitionShape("[{]{5}(a|b{7}){2}").product).toBe(14);
    expect(repetitionShape(String.raw`\{{2}`).product).toBe(2);
    expect(repetitionShape("(?:x{2,}){3}").product).toBe(6);
  });

  it("refuses a rule list whose regexes are too large together (422 at save)", () => {
    const one = "[A-Za-z0-9]{1,200}"; // ~400 instructions, allowed alone
    const rules = Array.from({ length: 20 }, (_, i) => ({ kind: "regex", pattern: `${one}x${i}` }));
    const r = redactionRulesSchema.safeParse(rules);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(new RegExp(`instructions together \\(at most ${REGEX_LIMITS.maxTotalProgramSize}\\)`));
    expect(redactionRulesSchema.safeParse(rules.slice(0, 3)).success).toBe(true);
  });

  it("a stored rule that breaks today's limits fails closed instead of running or crashing", () => {
    const stored = parseStoredRules(
      JSON.stringify([
        { kind: "header", name: "X-A" },
        { kind: "regex", pattern: "((a{1,10}){1,10}){1,10}$" },
      ]),
    );
    expect(stored).toHaveLength(2);
    const body = redactBody(new TextEncoder().encode("secret aaaa"), "text/plain", stored);
    expect(body.budgetExceeded).toBe(true);
    expect(body.bytes.byteLength).toBe(0);
    const headers = redactHeaders([["X-B", "secret"]], stored);
    expect(headers.pairs).toEqual([["X-B", "••••••"]]);
    expect(redactQuery("a=secret", stored).query).toBe("[REDACTED]");
  });
});

describe("regex budget", () => {
  // Allowed by the compile limits, and each of its ~1,000 matches over this text costs about 2 ms. (One
  // search cannot be interrupted: a single costly search is the worker deadline's job, see
  // tests/integration/hostile-regex.test.ts.)
  const costly: RedactionRule[] = [{ kind: "regex", pattern: "a{1,250}" }];
  const text = new TextEncoder().encode("a".repeat(256 * 1024));

  it("stops a costly scan at its time budget and withholds the body", () => {
    const started = performance.now();
    const r = redactBody(text, "text/plain", costly, new RedactionBudget({ ms: 20, scanBytes: REDACTION_BUDGET.scanBytes }));
    const took = performance.now() - started;
    expect(r.budgetExceeded).toBe(true);
    expect(r.changed).toBe(true);
    expect(r.bytes.byteLength).toBe(0);
    // One search past the budget at most: far less than the seconds the full scan takes.
    expect(took).toBeLessThan(300);
  });

  it("stops at its byte budget before scanning", () => {
    const cheap: RedactionRule[] = [
      { kind: "regex", pattern: String.raw`\d{4}` },
      { kind: "regex", pattern: "zz" },
    ];
    const budget = new RedactionBudget({ ms: 10_000, scanBytes: text.byteLength + 10 });
    const r = redactBody(text, "text/plain", cheap, budget);
    expect(r.budgetExceeded).toBe(true);
    expect(budget.scannedChars).toBeGreaterThan(text.byteLength);
  });

  it("within budget, masks as before", () => {
    const r = redactBody(new TextEncoder().encode("card 1234 end"), "text/plain", [{ kind: "regex", pattern: String.raw`\d{4}` }]);
    expect(r.budgetExceeded).toBe(false);
    expect(new TextDecoder().decode(r.bytes)).toBe("card [REDACTED] end");
  });
});
