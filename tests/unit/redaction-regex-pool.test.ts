// The redaction worker pool: a search that runs past the deadline is cut off (the worker is
// terminated and replaced), the body fails closed, and the pool keeps masking afterwards.
import { afterAll, describe, expect, it } from "vitest";
import { needsPartsWorker, redactParts } from "@/lib/redaction/parts";
import { RegexPool } from "@/lib/redaction/regex-pool";
import type { RedactionRule } from "@/lib/redaction/rules";

const pool = new RegexPool(1, 300);
afterAll(() => pool.close());

describe("RegexPool", () => {
  it("masks in a worker", async () => {
    const r = await pool.redact(new TextEncoder().encode("pin 1234 ok"), "text/plain", [{ kind: "regex", pattern: String.raw`\d{4}` }]);
    expect(r.budgetExceeded).toBe(false);
    expect(new TextDecoder().decode(r.bytes)).toBe("pin [REDACTED] ok");
  }, 30_000);

  it("cuts a search off at the deadline, fails closed, and replaces the worker", async () => {
    // One search of several seconds (no match until the end): only terminating the thread stops it.
    const costly: RedactionRule[] = [{ kind: "regex", pattern: "a{1,250}$" }];
    const started = performance.now();
    const r = await pool.redact(new TextEncoder().encode("a".repeat(512 * 1024)), "text/plain", costly);
    const took = performance.now() - started;
    expect(r).toMatchObject({ budgetExceeded: true, changed: true });
    expect(r.bytes.byteLength).toBe(0);
    expect(took).toBeLessThan(1500);
    expect(pool.timedOut).toBe(1);
    const after = await pool.redact(new TextEncoder().encode("pin 9876"), "text/plain", [{ kind: "regex", pattern: String.raw`\d{4}` }]);
    expect(new TextDecoder().decode(after.bytes)).toBe("pin [REDACTED]");
  }, 30_000);

  it("masks header lists and queries in a worker, as on the calling thread", async () => {
    const rules: RedactionRule[] = [
      { kind: "header", name: "x-api-key" },
      { kind: "regex", pattern: String.raw`\d{4}` },
    ];
    const input = {
      headers: [
        [
          ["X-Api-Key", "k"],
          ["X-Pin", "pin 1234"],
        ] as [string, string][],
      ],
      queries: ["?pin=5678&a=b"],
    };
    const r = await pool.redactParts(input, rules);
    expect(r).toEqual(redactParts(input, rules));
    expect(r.headers[0]!.pairs).toEqual([
      ["X-Api-Key", "••••••"],
      ["X-Pin", "pin ••••••"],
    ]);
    expect(r.queries[0]!.query).toBe("?pin=[REDACTED]&a=b");
  }, 30_000);

  it("header masking past the deadline fails closed: every value and the query masked whole", async () => {
    // Many long values: the worker's budget stops between searches, or its deadline cuts one off.
    const costly: RedactionRule[] = [{ kind: "regex", pattern: "a{1,250}$" }];
    const values = Array.from({ length: 40 }, (_, i): [string, string] => [`x-${i}`, "a".repeat(64 * 1024)]);
    const started = performance.now();
    const r = await pool.redactParts({ headers: [values], queries: [`q=${"a".repeat(64 * 1024)}`] }, costly);
    expect(performance.now() - started).toBeLessThan(1500);
    for (const [, v] of r.headers[0]!.pairs) expect(v).not.toMatch(/a{100}/);
    expect(r.queries[0]!.query).not.toMatch(/a{100}/);
  }, 30_000);
});

describe("needsPartsWorker", () => {
  it("keeps ordinary headers and cheap rules on the calling thread, sends costly work to a worker", () => {
    const headers: [string, string][] = [
      ["content-type", "application/json"],
      ["user-agent", "Stripe/1.0"],
      ["stripe-signature", "t=1,v1=abc"],
    ];
    expect(needsPartsWorker({ headers: [headers], queries: ["a=1"] }, [{ kind: "regex", pattern: String.raw`sk_live_\w+` }])).toBe(false);
    expect(needsPartsWorker({ headers: [headers], queries: [] }, [{ kind: "header", name: "*" }])).toBe(false);
    const big: [string, string][] = [["x-pad", "a".repeat(14 * 1024)]];
    expect(needsPartsWorker({ headers: [big], queries: [] }, [{ kind: "regex", pattern: "a{1,250}$" }])).toBe(true);
  });
});
