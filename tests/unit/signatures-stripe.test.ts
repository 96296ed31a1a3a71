import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyStripe } from "@/lib/signatures/providers/stripe";

// No official vector: signatures are built here from Stripe's documented algorithm
// (HMAC-SHA256, hex, over `${t}.${raw}`, key = the whsec_ string as UTF-8).
const secret = "whsec_test_5c1b7a0f3e9d2b8a";
const body = '{\n  "id": "evt_1",\n  "object": "event",\n  "type": "payment_intent.succeeded"\n}\n';
const t = 1_700_000_000;
const sign = (ts: number, raw: string, key = secret) => createHmac("sha256", key).update(`${ts}.${raw}`).digest("hex");
const good = sign(t, body);
const bad = sign(t, body, "whsec_old_secret");

const run = (header: string | null, opts: { body?: string | Uint8Array; secret?: string; now?: number; toleranceSeconds?: number } = {}) =>
  verifyStripe({
    body: typeof opts.body === "string" || opts.body === undefined ? new TextEncoder().encode(opts.body ?? body) : opts.body,
    headers:
      header === null
        ? [["Content-Type", "application/json"]]
        : [
            ["Content-Type", "application/json"],
            ["Stripe-Signature", header],
          ],
    secret: opts.secret ?? secret,
    now: opts.now ?? (t + 30) * 1000,
    ...(opts.toleranceSeconds !== undefined ? { toleranceSeconds: opts.toleranceSeconds } : {}),
  });

describe("verifyStripe", () => {
  it("verifies a correctly signed request (secret used as a string, whsec_ included)", () => {
    const r = run(`t=${t},v1=${good}`);
    expect(r).toMatchObject({
      provider: "stripe",
      valid: true,
      signatureMatches: true,
      matchedSignature: good,
      expected: good,
      reasons: [],
    });
    expect(r.timestamp).toEqual({ value: t, skewSeconds: 30, withinTolerance: true });
  });

  it("does not base64-decode the secret", () => {
    const decodedKey = Buffer.from(secret.slice(6), "base64");
    const sig = createHmac("sha256", decodedKey).update(`${t}.${body}`).digest("hex");
    expect(run(`t=${t},v1=${sig}`).signatureMatches).toBe(false);
  });

  it("evaluates every v1 and reports the second one when it is the match", () => {
    const r = run(`t=${t},v1=${bad},v1=${good},v0=${bad}`);
    expect(r.valid).toBe(true);
    expect(r.received).toEqual([bad, good]);
    expect(r.matchedSignature).toBe(good);
  });

  it("a changed body byte fails with no_match", () => {
    const r = run(`t=${t},v1=${good}`, { body: body.replace("evt_1", "evt_2") });
    expect(r.signatureMatches).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(["no_match"]);
  });

  it("a wrong secret fails with no_match", () => {
    const r = run(`t=${t},v1=${good}`, { secret: "whsec_live_other" });
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(["no_match"]);
  });

  it("a changed timestamp in the header fails (t is signed)", () => {
    expect(run(`t=${t + 1},v1=${good}`).signatureMatches).toBe(false);
  });

  it("an old delivery: signature matches, timestamp outside the 300 s window", () => {
    const r = run(`t=${t},v1=${good}`, { now: (t + 301) * 1000 });
    expect(r.signatureMatches).toBe(true);
    expect(r.matchedSignature).toBe(good);
    expect(r.timestamp).toEqual({ value: t, skewSeconds: 301, withinTolerance: false });
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(["timestamp_outside_tolerance"]);
  });

  it("the window is past-only: a timestamp in the future passes", () => {
    const r = run(`t=${t},v1=${good}`, { now: (t - 3600) * 1000 });
    expect(r.timestamp.withinTolerance).toBe(true);
    expect(r.valid).toBe(true);
  });

  it("honours a custom tolerance", () => {
    expect(run(`t=${t},v1=${good}`, { now: (t + 1000) * 1000, toleranceSeconds: 2000 }).valid).toBe(true);
  });

  it("a signature of the wrong length (base64 instead of hex) reports signature_length", () => {
    const b64 = createHmac("sha256", secret).update(`${t}.${body}`).digest("base64");
    expect(run(`t=${t},v1=${b64}`).reasons.map((x) => x.code)).toEqual(["signature_length", "no_match"]);
  });

  it.each([
    ["no header", null, "missing_header"],
    ["no t=", `v1=${good}`, "malformed_header"],
    ["no v1=", `t=${t},v0=${good}`, "malformed_header"],
    ["non-numeric t", `t=abc,v1=${good}`, "malformed_header"],
  ])("%s → %s", (_label, header, code) => {
    const r = run(header);
    expect(r.valid).toBe(false);
    expect(r.signatureMatches).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual([code]);
  });
});
