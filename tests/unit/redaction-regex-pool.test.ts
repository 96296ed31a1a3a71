// The redaction worker pool: a search that runs past the deadline is cut off (the worker is
// terminated and replaced), the body fails closed, and the pool keeps masking afterwards.
import { afterAll, describe, expect, it } from "vitest";
import { RegexPool } from "@/lib/redaction/regex-pool";
import type { RedactionRule } from "@/lib/redaction/rules";

const boot = new URL("../../lib/runtime/worker-boot.mjs", import.meta.url);
const pool = new RegexPool(1, 300, boot);
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
});
