// Verification of stored captures (lib/signatures/evaluate.ts) without a server: which saved secret matched,
// statuses, the alias URL, and the masking of signature values, tokens and URL queries for callers who did not
// reveal. Signatures are built here with node:crypto from the providers' documented algorithms.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { captureStatus } from "@/lib/signatures/capture-status";
import { verifyStored } from "@/lib/signatures/evaluate";
import { abbreviate, maskOutcome } from "@/lib/signatures/mask-outcome";
import { captureUrls, type StoredCapture } from "@/lib/signatures/stored-capture";
import type { SecretCandidateRow } from "@/lib/signatures/secrets";
import { DEFAULT_REDACTION_RULES } from "@/lib/redaction/rules";
import { captureUrl } from "@/lib/endpoints/endpoints";

const hex = (key: string, data: string) => createHmac("sha256", key).update(data).digest("hex");
const RECEIVED = 1_700_000_000_000;
const endpoint = { token: "tok123", alias: "my-alias" };

function stripeCapture(secret: string, opts: { t?: number; body?: string; path?: string; query?: string } = {}): StoredCapture {
  const body = opts.body ?? '{"id":"evt_1","type":"invoice.paid"}';
  const t = opts.t ?? RECEIVED / 1000;
  return {
    id: "cap_1",
    endpointId: "ep_1",
    method: "POST",
    path: opts.path ?? "/stripe",
    query: opts.query ?? "",
    headers: [
      ["Content-Type", "application/json"],
      ["Stripe-Signature", `t=${t},v1=${hex(secret, `${t}.${body}`)}`],
    ],
    body: Buffer.from(body),
    contentType: "application/json",
    receivedAt: RECEIVED,
  };
}

const candidate = (id: string, provider: string, secret: string): SecretCandidateRow =>
  ({ id, provider, label: id, fingerprint: `…${id}`, secret, generic: null }) as SecretCandidateRow;

describe("verifyStored", () => {
  it("tries every saved secret of the provider and reports the one that matched", () => {
    const capture = stripeCapture("whsec_live");
    const saved = [
      candidate("test", "stripe", "whsec_test"),
      candidate("gh", "github", "whsec_live"),
      candidate("live", "stripe", "whsec_live"),
    ];
    const r = verifyStored(capture, endpoint, saved, {});
    expect(r).toMatchObject({
      provider: "stripe",
      detected: true,
      valid: true,
      status: "valid",
      secretsTried: 2,
      secret: { source: "saved", id: "live" },
    });
    expect(r.url).toBeNull();
  });

  it("without saved secrets the status is unknown; with a wrong one invalid; an old delivery is stale", () => {
    expect(verifyStored(stripeCapture("a"), endpoint, [], {}).status).toBe("unknown");
    expect(verifyStored(stripeCapture("a"), endpoint, [candidate("x", "stripe", "b")], {}).status).toBe("invalid");
    const old = stripeCapture("a", { t: RECEIVED / 1000 - 900 });
    expect(verifyStored(old, endpoint, [candidate("x", "stripe", "a")], {})).toMatchObject({
      status: "stale",
      signatureMatches: true,
      timestamp: { withinTolerance: false },
    });
  });

  it("a one-off secret is diagnosed against the saved ones (other_secret)", () => {
    const r = verifyStored(stripeCapture("whsec_live"), endpoint, [candidate("live", "stripe", "whsec_live")], { secret: "whsec_other" });
    expect(r.secret).toMatchObject({ source: "one-off", id: null });
    expect(r.diagnosis[0]).toMatchObject({ code: "other_secret", detail: { secretId: "live" } });
  });

  it("URL-signing schemes are checked against the token URL and the alias URL", () => {
    expect(captureUrls({ path: "/sq", query: "a=1" }, endpoint)).toEqual([
      `${captureUrl("tok123")}/sq?a=1`,
      `${captureUrl("my-alias")}/sq?a=1`,
    ]);
    const body = '{"type":"payment.created"}';
    const url = `${captureUrl("my-alias")}/sq`;
    const capture: StoredCapture = {
      ...stripeCapture("x"),
      path: "/sq",
      headers: [
        [
          "x-square-hmacsha256-signature",
          createHmac("sha256", "sq")
            .update(url + body)
            .digest("base64"),
        ],
      ],
      body: Buffer.from(body),
    };
    expect(verifyStored(capture, endpoint, [candidate("sq", "square", "sq")], {})).toMatchObject({ provider: "square", valid: true, url });
    expect(captureStatus(capture, endpoint, [candidate("sq", "square", "sq")])).toEqual({ provider: "square", status: "valid" });
  });
});

describe("captureStatus", () => {
  it("judges at receipt: valid, stale, invalid, unknown", () => {
    const saved = [candidate("s", "stripe", "k")];
    expect(captureStatus(stripeCapture("k"), endpoint, saved)).toEqual({ provider: "stripe", status: "valid" });
    expect(captureStatus(stripeCapture("k", { t: RECEIVED / 1000 - 3600 }), endpoint, saved)).toEqual({
      provider: "stripe",
      status: "stale",
    });
    expect(captureStatus(stripeCapture("other"), endpoint, saved)).toEqual({ provider: "stripe", status: "invalid" });
    expect(captureStatus(stripeCapture("k"), endpoint, [candidate("g", "github", "k")])).toEqual({ provider: "stripe", status: "unknown" });
    const plain = { ...stripeCapture("k"), headers: [["Content-Type", "text/plain"]] as [string, string][] };
    expect(captureStatus(plain, endpoint, saved)).toEqual({ provider: null, status: "unknown" });
  });
});

describe("maskOutcome", () => {
  it("shortens signature values; a plain token scheme shows nothing of the token", async () => {
    const r = verifyStored(stripeCapture("k"), endpoint, [], { secret: "k" });
    const m = await maskOutcome(r, DEFAULT_REDACTION_RULES);
    expect(m.revealed).toBe(false);
    expect(m.expected).toBe(abbreviate(r.expected!));
    expect(m.received).toEqual(r.received.map(abbreviate));
    expect(m.expected).toMatch(/^[0-9a-f]{10}…[0-9a-f]{4}$/);

    const gitlab: StoredCapture = {
      ...stripeCapture("k"),
      headers: [
        ["X-Gitlab-Event", "Push Hook"],
        ["X-Gitlab-Token", "super-secret-token"],
      ],
    };
    const g = await maskOutcome(verifyStored(gitlab, endpoint, [], { secret: "super-secret-token" }), DEFAULT_REDACTION_RULES);
    expect(g).toMatchObject({ provider: "gitlab", valid: true, secretKind: "token" });
    expect(JSON.stringify(g)).not.toContain("super-secret");
    expect(g.received).toEqual(["•••••• (18 characters)"]);
  });

  it("masks query parameters the redaction rules mask in the signed URL and the diagnosis", async () => {
    const body = "CallSid=CA1";
    const https = `${captureUrl("tok123").replace(/^http:/, "https:")}/tw?token=abc123`;
    const capture: StoredCapture = {
      ...stripeCapture("x"),
      path: "/tw",
      query: "token=abc123",
      contentType: "application/x-www-form-urlencoded",
      headers: [["X-Twilio-Signature", createHmac("sha1", "tw").update(`${https}CallSidCA1`).digest("base64")]],
      body: Buffer.from(body),
    };
    const r = verifyStored(capture, endpoint, [], { secret: "tw" });
    expect(r.diagnosis[0]?.code).toBe("url_variant");
    const m = await maskOutcome(r, DEFAULT_REDACTION_RULES);
    expect(JSON.stringify(m)).not.toContain("abc123");
    expect(m.url).toContain("token=[REDACTED]");
    expect(m.diagnosis[0]!.message).toContain("token=[REDACTED]");
  });
});
