import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyStandardWebhooks } from "@/lib/signatures/providers/standard-webhooks";
import type { VerifyInput } from "@/lib/signatures/types";

const enc = (s: string) => new TextEncoder().encode(s);

const vectors = [
  {
    name: "#1 (python/go/php/ruby tests)",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    ts: 1614265330,
    body: '{"test": 2432232314}',
    sig: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  },
  {
    name: "#2 (rust tests)",
    secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
    ts: 1649367553,
    body: '{"email":"test@example.com","username":"test_user"}',
    sig: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
  },
] as const;

type V = (typeof vectors)[number];

function input(v: V, over: Partial<VerifyInput> & { sig?: string; prefix?: string } = {}): VerifyInput {
  const p = over.prefix ?? "webhook-";
  return {
    body: over.body ?? enc(v.body),
    headers: over.headers ?? [
      [`${p}id`, v.id],
      [`${p}timestamp`, String(v.ts)],
      [`${p}signature`, over.sig ?? v.sig],
    ],
    secret: over.secret ?? v.secret,
    now: over.now ?? v.ts * 1000 + 10_000,
    ...(over.toleranceSeconds !== undefined ? { toleranceSeconds: over.toleranceSeconds } : {}),
  };
}

describe("verifyStandardWebhooks: official vectors", () => {
  it.each(vectors)("$name verifies", (v) => {
    const r = verifyStandardWebhooks(input(v));
    expect(r).toMatchObject({
      provider: "standard-webhooks",
      valid: true,
      signatureMatches: true,
      matchedSignature: v.sig,
      expected: v.sig,
      reasons: [],
    });
    expect(r.timestamp).toEqual({ value: v.ts, skewSeconds: 10, withinTolerance: true });
  });

  it.each(vectors)("$name verifies with svix-* headers (Clerk, Resend)", (v) => {
    const r = verifyStandardWebhooks(input(v, { prefix: "svix-" }));
    expect(r.provider).toBe("svix");
    expect(r.valid).toBe(true);
  });

  it.each(vectors)("$name: a changed body byte fails with no_match", (v) => {
    const body = enc(v.body);
    body[2] = body[2]! ^ 1;
    const r = verifyStandardWebhooks(input(v, { body }));
    expect(r.signatureMatches).toBe(false);
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(["no_match"]);
  });

  it.each(vectors)("$name: a wrong secret fails", (v) => {
    const r = verifyStandardWebhooks(input(v, { secret: `whsec_${Buffer.from("another secret key 24byt").toString("base64")}` }));
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toContain("no_match");
  });

  it.each([
    ["10 minutes old", 600_000, 600],
    ["10 minutes in the future", -600_000, -600],
  ])("$name: %s → signature matches, timestamp outside tolerance", (_label, offset, skew) => {
    const v = vectors[0];
    const r = verifyStandardWebhooks(input(v, { now: v.ts * 1000 + offset }));
    expect(r.signatureMatches).toBe(true);
    expect(r.timestamp).toEqual({ value: v.ts, skewSeconds: skew, withinTolerance: false });
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(["timestamp_outside_tolerance"]);
  });

  it("honours a custom tolerance", () => {
    const v = vectors[1];
    expect(verifyStandardWebhooks(input(v, { now: v.ts * 1000 + 600_000, toleranceSeconds: 900 })).valid).toBe(true);
  });
});

describe("verifyStandardWebhooks: signature lists and malformed input", () => {
  const v = vectors[0];
  const other = `v1,${createHmac("sha256", Buffer.from("some other key")).update("x").digest("base64")}`;

  it("evaluates every entry and reports the second when it matches", () => {
    const r = verifyStandardWebhooks(input(v, { sig: `${other} ${v.sig}` }));
    expect(r.valid).toBe(true);
    expect(r.received).toEqual([other, v.sig]);
    expect(r.matchedSignature).toBe(v.sig);
  });

  it("ignores v1a (Ed25519) entries next to a matching v1", () => {
    const r = verifyStandardWebhooks(input(v, { sig: `v1a,abcdef ${v.sig}` }));
    expect(r.matchedSignature).toBe(v.sig);
  });

  it("a list without a match reports no_match with all entries received", () => {
    const r = verifyStandardWebhooks(input(v, { sig: `${other} ${other}` }));
    expect(r.signatureMatches).toBe(false);
    expect(r.received).toHaveLength(2);
    expect(r.reasons.map((x) => x.code)).toEqual(["no_match"]);
  });

  it("a signature of the wrong length reports signature_length", () => {
    const r = verifyStandardWebhooks(input(v, { sig: "v1,abc" }));
    expect(r.reasons.map((x) => x.code)).toEqual(["signature_length", "no_match"]);
  });

  it.each([
    ["webhook-id", "missing_header"],
    ["webhook-timestamp", "missing_header"],
    ["webhook-signature", "missing_header"],
  ])("missing %s → %s", (name, code) => {
    const headers = input(v).headers.filter(([n]) => n !== name);
    const r = verifyStandardWebhooks(input(v, { headers }));
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual([code]);
  });

  it("looks header names up case-insensitively", () => {
    const headers = input(v).headers.map(([n, val]) => [n.toUpperCase(), val] as const);
    expect(verifyStandardWebhooks(input(v, { headers })).valid).toBe(true);
  });

  it.each([
    [
      "a non-numeric timestamp",
      [
        ["webhook-id", v.id],
        ["webhook-timestamp", "yesterday"],
        ["webhook-signature", v.sig],
      ],
      "malformed_header",
    ],
    [
      "an entry without a version",
      [
        ["webhook-id", v.id],
        ["webhook-timestamp", String(v.ts)],
        ["webhook-signature", "g0hM9SsE"],
      ],
      "malformed_header",
    ],
    [
      "only v1a entries",
      [
        ["webhook-id", v.id],
        ["webhook-timestamp", String(v.ts)],
        ["webhook-signature", "v1a,abc"],
      ],
      "unsupported_version",
    ],
  ] as const)("%s → %s", (_label, headers, code) => {
    const r = verifyStandardWebhooks(input(v, { headers }));
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual([code]);
  });
});
