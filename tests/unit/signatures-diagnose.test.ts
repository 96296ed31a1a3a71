import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { diagnose } from "@/lib/signatures/diagnose";
import { MAX_RECHECKS, type Diagnosis } from "@/lib/signatures/diagnosis";
import { schemeFor, type ProviderVerifyInput } from "@/lib/signatures/provider";
import { getProvider } from "@/lib/signatures/registry";
import { verifyCapture, type CaptureVerification, type VerifyCaptureInput } from "@/lib/signatures/verify-capture";
import type { HeaderList } from "@/lib/signatures/types";

// Every mismatching request below is signed here with node:crypto straight from the provider's documented
// algorithm (never with the code under test), then "delivered" with one controlled difference.

const T = 1_700_000_000;
const NOW = T * 1000 + 5_000;
// Canonical base64 after the prefix ("bold-secret-for-tests"): a malformed one is no key (secret-encoding.ts).
const SECRET = "whsec_Ym9sZC1zZWNyZXQtZm9yLXRlc3Rz";
const OBJ = { id: "evt_1", type: "invoice.paid", data: { amount: 1200, url: "https://example.test/a/b", name: "Zoë" } };
const COMPACT = JSON.stringify(OBJ);
const PRETTY = JSON.stringify(OBJ, null, 2);

const hmacHex = (alg: "sha1" | "sha256", key: string | Buffer, data: string | Buffer) => createHmac(alg, key).update(data).digest("hex");
const hmacB64 = (alg: "sha1" | "sha256", key: string | Buffer, data: string | Buffer) => createHmac(alg, key).update(data).digest("base64");

const stripeHeader = (signed: string, key: string | Buffer = SECRET, t: string = String(T)): HeaderList => [
  ["Content-Type", "application/json"],
  ["Stripe-Signature", `t=${t},v1=${hmacHex("sha256", key, `${t}.${signed}`)}`],
];

const run = (input: Partial<VerifyCaptureInput> & Pick<VerifyCaptureInput, "body" | "headers">): CaptureVerification =>
  verifyCapture({ secret: SECRET, now: NOW, ...input });

const codesOf = (r: CaptureVerification) => r.diagnosis.map((d) => d.code);
const find = (r: CaptureVerification, code: Diagnosis["code"]) => {
  const d = r.diagnosis.find((x) => x.code === code);
  expect(d, `${code} in ${JSON.stringify(codesOf(r))}`).toBeDefined();
  expect(d!.message.length).toBeGreaterThan(40);
  return d!;
};

describe("body_reserialized", () => {
  it("signed compact JSON, delivered pretty-printed (Stripe)", () => {
    const r = run({ body: PRETTY, headers: stripeHeader(COMPACT) });
    expect(r.signatureMatches).toBe(false);
    expect(find(r, "body_reserialized").detail).toEqual({ form: "compact" });
  });

  it("signed pretty JSON, delivered compact (GitHub)", () => {
    const headers: HeaderList = [
      ["X-GitHub-Event", "push"],
      ["X-Hub-Signature-256", `sha256=${hmacHex("sha256", SECRET, PRETTY)}`],
    ];
    expect(find(run({ body: COMPACT, headers }), "body_reserialized").detail).toEqual({ form: "pretty-2" });
  });

  it("signed Python json.dumps output, delivered compact (Standard Webhooks)", () => {
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const python =
      '{"id": "evt_1", "type": "invoice.paid", "data": {"amount": 1200, "url": "https://example.test/a/b", "name": "Zo\\u00eb"}}';
    const sig = hmacB64("sha256", key, `msg_1.${T}.${python}`);
    const headers: HeaderList = [
      ["webhook-id", "msg_1"],
      ["webhook-timestamp", String(T)],
      ["webhook-signature", `v1,${sig}`],
    ];
    expect(find(run({ body: COMPACT, headers }), "body_reserialized").detail).toEqual({ form: "python" });
  });

  it("signed PHP json_encode output (escaped slashes), delivered plain (Paddle)", () => {
    const php = COMPACT.replace(/\//g, "\\/");
    const headers: HeaderList = [["Paddle-Signature", `ts=${T};h1=${hmacHex("sha256", SECRET, `${T}:${php}`)}`]];
    expect(find(run({ body: COMPACT, headers, now: T * 1000 }), "body_reserialized").detail).toEqual({ form: "escaped-slashes" });
  });

  it("Twilio JSON: the bodySHA256 in the URL is of the compact body, delivered pretty", () => {
    const base = `https://hooks.example.test/h/1?bodySHA256=${createHash("sha256").update(COMPACT).digest("hex")}`;
    const headers: HeaderList = [
      ["Content-Type", "application/json"],
      ["X-Twilio-Signature", hmacB64("sha1", SECRET, base)],
    ];
    const r = run({ body: PRETTY, headers, url: base });
    expect(r.signatureMatches).toBe(true);
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toContain("body_hash_mismatch");
    expect(find(r, "body_reserialized").detail).toEqual({ form: "compact" });
  });
});

describe("trailing_newline", () => {
  it("signed with a trailing \\n that the delivery lacks (GitHub)", () => {
    const headers: HeaderList = [
      ["X-GitHub-Event", "push"],
      ["X-Hub-Signature-256", `sha256=${hmacHex("sha256", SECRET, `${COMPACT}\n`)}`],
    ];
    expect(find(run({ body: COMPACT, headers }), "trailing_newline").detail).toEqual({ signedEnding: "\\n", receivedEnding: "nothing" });
  });

  it("signed without, delivered with \\r\\n appended (Shopify)", () => {
    const headers: HeaderList = [
      ["X-Shopify-Topic", "orders/create"],
      ["X-Shopify-Hmac-Sha256", hmacB64("sha256", SECRET, COMPACT)],
    ];
    expect(find(run({ body: `${COMPACT}\r\n`, headers }), "trailing_newline").detail).toEqual({
      signedEnding: "nothing",
      receivedEnding: "\\r\\n",
    });
  });

  it("the official SendGrid vector delivered without its trailing CRLF (ECDSA, real vector)", () => {
    const payload =
      '[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]';
    const r = run({
      body: payload,
      secret:
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==",
      headers: [
        [
          "X-Twilio-Email-Event-Webhook-Signature",
          "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=",
        ],
        ["X-Twilio-Email-Event-Webhook-Timestamp", "1600112502"],
      ],
      now: 1600112502_000,
    });
    expect(r.signatureMatches).toBe(false);
    expect(find(r, "trailing_newline").detail).toEqual({ signedEnding: "\\r\\n", receivedEnding: "nothing" });
  });
});

describe("secret_encoding", () => {
  it("sender keyed HMAC with the base64-decoded secret; the user supplies it raw (Stripe-style scheme)", () => {
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const r = run({ body: COMPACT, headers: stripeHeader(COMPACT, key) });
    expect(r.signatureMatches).toBe(false);
    const d = find(r, "secret_encoding");
    expect(d.detail).toMatchObject({ variant: "base64-decoded", expectedHandling: "utf8" });
    expect(d.message).toContain("base64-decoded");
  });

  it("sender used the whsec_ string as plain text where Standard Webhooks decodes it", () => {
    const sig = hmacB64("sha256", SECRET, `msg_1.${T}.${COMPACT}`);
    const headers: HeaderList = [
      ["webhook-id", "msg_1"],
      ["webhook-timestamp", String(T)],
      ["webhook-signature", `v1,${sig}`],
    ];
    expect(find(run({ body: COMPACT, headers }), "secret_encoding").detail).toMatchObject({
      variant: "text",
      expectedHandling: "whsec-base64",
    });
  });

  it("sender signed without the prefix (Calendly)", () => {
    const headers: HeaderList = [["Calendly-Webhook-Signature", `t=${T},v1=${hmacHex("sha256", SECRET.slice(6), `${T}.${COMPACT}`)}`]];
    expect(find(run({ body: COMPACT, headers }), "secret_encoding").detail).toMatchObject({ variant: "text-without-prefix" });
  });

  it("the saved secret carries a trailing newline (Slack)", () => {
    const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    const headers: HeaderList = [
      ["X-Slack-Request-Timestamp", String(T)],
      ["X-Slack-Signature", `v0=${hmacHex("sha256", slackSecret, `v0:${T}:${COMPACT}`)}`],
    ];
    const r = run({ body: COMPACT, headers, secret: `${slackSecret}\n` });
    expect(find(r, "secret_encoding").detail).toMatchObject({ variant: "trimmed" });
  });

  it("a hex secret that the sender hex-decodes (Shopify)", () => {
    const hexSecret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const headers: HeaderList = [
      ["X-Shopify-Topic", "orders/create"],
      ["X-Shopify-Hmac-Sha256", hmacB64("sha256", Buffer.from(hexSecret, "hex"), COMPACT)],
    ];
    expect(find(run({ body: COMPACT, headers, secret: hexSecret }), "secret_encoding").detail).toMatchObject({ variant: "hex-decoded" });
  });

  it("a GitLab token saved with surrounding whitespace", () => {
    const headers: HeaderList = [
      ["X-Gitlab-Event", "Push Hook"],
      ["X-Gitlab-Token", "glpat-token-1"],
    ];
    expect(find(run({ body: COMPACT, headers, secret: " glpat-token-1 " }), "secret_encoding").detail).toEqual({ variant: "trimmed" });
  });
});

describe("other_secret", () => {
  it("the delivery was signed with another saved secret (live vs test)", () => {
    const live = "whsec_live_c2VjcmV0LWxpdmU";
    const r = run({
      body: COMPACT,
      headers: stripeHeader(COMPACT, live),
      otherSecrets: [
        { id: "sec_a", label: "CLI", secret: "whsec_cli" },
        { id: "sec_b", label: "Live mode", secret: live },
      ],
    });
    expect(r.signatureMatches).toBe(false);
    const d = find(r, "other_secret");
    expect(d.detail).toEqual({ secretId: "sec_b", label: "Live mode" });
    expect(JSON.stringify(r.diagnosis)).not.toContain(live);
    expect(JSON.stringify(r.diagnosis)).not.toContain(SECRET);
  });

  it("works without a secret of its own (only saved candidates)", () => {
    const r = run({
      body: COMPACT,
      headers: stripeHeader(COMPACT, "whsec_x1"),
      secret: null,
      otherSecrets: [{ id: "s1", label: "Main", secret: "whsec_x1" }],
    });
    expect(r.reasons.map((x) => x.code)).toEqual(["missing_secret"]);
    expect(codesOf(r)).toEqual(["other_secret"]);
  });
});

describe("url_variant", () => {
  const params = "CallSid=CA1&From=%2B15550001111&To=%2B15550002222";
  const signedFor = (url: string) => hmacB64("sha1", "twilio-auth-token", `${url}CallSidCA1From+15550001111To+15550002222`);

  it("Twilio signed the https URL; Hookscope's public URL is http (TLS terminated in front)", () => {
    const headers: HeaderList = [
      ["Content-Type", "application/x-www-form-urlencoded"],
      ["X-Twilio-Signature", signedFor("https://hooks.example.test/h/tw?x=1")],
    ];
    const r = run({ body: params, headers, url: "http://hooks.example.test/h/tw?x=1", secret: "twilio-auth-token" });
    expect(r.signatureMatches).toBe(false);
    expect(find(r, "url_variant").detail).toEqual({
      signedUrl: "https://hooks.example.test/h/tw?x=1",
      captureUrl: "http://hooks.example.test/h/tw?x=1",
    });
  });

  it("Twilio signed with the explicit :443 port", () => {
    const headers: HeaderList = [["X-Twilio-Signature", signedFor("https://hooks.example.test:443/h/tw")]];
    const r = run({ body: params, headers, url: "https://hooks.example.test/h/tw", secret: "twilio-auth-token" });
    expect(find(r, "url_variant").detail).toMatchObject({ signedUrl: "https://hooks.example.test:443/h/tw" });
  });

  it("Square signed the notification URL with a trailing slash", () => {
    const body = '{"type":"payment.created","event_id":"e1"}';
    const headers: HeaderList = [["x-square-hmacsha256-signature", hmacB64("sha256", "sq-key", `https://hooks.example.test/h/sq/${body}`)]];
    const r = run({ body, headers, url: "https://hooks.example.test/h/sq", secret: "sq-key" });
    expect(find(r, "url_variant").detail).toMatchObject({ signedUrl: "https://hooks.example.test/h/sq/" });
  });

  it("is not tried for schemes that do not sign the URL", () => {
    const headers: HeaderList = [["X-Shopify-Hmac-Sha256", "AAAA"]];
    const r = run({ body: COMPACT, headers, url: "http://hooks.example.test/h/1" });
    expect(codesOf(r)).not.toContain("url_variant");
  });
});

describe("signature_encoding", () => {
  it("Shopify's digest sent as hex instead of base64", () => {
    const headers: HeaderList = [
      ["X-Shopify-Topic", "orders/create"],
      ["X-Shopify-Hmac-Sha256", hmacHex("sha256", SECRET, COMPACT)],
    ];
    const r = run({ body: COMPACT, headers });
    expect(r.reasons.map((x) => x.code)).toContain("signature_length");
    expect(find(r, "signature_encoding").detail).toMatchObject({ received: "hex", expected: "base64" });
  });

  it("GitHub's digest sent as base64 after sha256=", () => {
    const headers: HeaderList = [
      ["X-GitHub-Event", "push"],
      ["X-Hub-Signature-256", `sha256=${hmacB64("sha256", SECRET, COMPACT)}`],
    ];
    expect(find(run({ body: COMPACT, headers }), "signature_encoding").detail).toMatchObject({ received: "base64", expected: "hex" });
  });
});

describe("timestamp_units", () => {
  it("Standard Webhooks timestamp sent (and signed) in milliseconds: the signature matches, the window fails", () => {
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const ms = String(T * 1000);
    const headers: HeaderList = [
      ["webhook-id", "msg_1"],
      ["webhook-timestamp", ms],
      ["webhook-signature", `v1,${hmacB64("sha256", key, `msg_1.${ms}.${COMPACT}`)}`],
    ];
    const r = run({ body: COMPACT, headers });
    expect(r).toMatchObject({ valid: false, signatureMatches: true, timestamp: { withinTolerance: false } });
    expect(codesOf(r)).toEqual(["timestamp_units"]);
    expect(find(r, "timestamp_units").detail).toMatchObject({ sent: T * 1000, sentUnit: "ms", expectedUnit: "s" });
  });

  it("Slack signed seconds but sent milliseconds in the header", () => {
    const headers: HeaderList = [
      ["X-Slack-Request-Timestamp", String(T * 1000 + 123)],
      ["X-Slack-Signature", `v0=${hmacHex("sha256", SECRET, `v0:${T}:${COMPACT}`)}`],
    ];
    const r = run({ body: COMPACT, headers });
    expect(r.signatureMatches).toBe(false);
    expect(find(r, "timestamp_units").detail).toMatchObject({
      sent: String(T * 1000 + 123),
      signed: String(T),
      sentUnit: "ms",
      signedUnit: "s",
    });
  });

  it("Linear webhookTimestamp in seconds where milliseconds are expected", () => {
    const body = `{"action":"create","type":"Issue","webhookTimestamp":${T}}`;
    const headers: HeaderList = [
      ["Linear-Event", "Issue"],
      ["Linear-Signature", hmacHex("sha256", SECRET, body)],
    ];
    const r = run({ body, headers });
    expect(r).toMatchObject({ signatureMatches: true, valid: false });
    expect(find(r, "timestamp_units").detail).toMatchObject({ sentUnit: "s", expectedUnit: "ms" });
  });

  it("a genuinely stale delivery with a matching signature gets no diagnosis", () => {
    const r = run({ body: COMPACT, headers: [...stripeHeader(COMPACT), ["Via", "1.1 proxy"]], now: (T + 3600) * 1000 });
    expect(r).toMatchObject({ valid: false, signatureMatches: true, timestamp: { withinTolerance: false, skewSeconds: 3600 } });
    expect(r.reasons.map((x) => x.code)).toEqual(["timestamp_outside_tolerance"]);
    expect(r.diagnosis).toEqual([]);
  });
});

describe("flags", () => {
  it("content_length_mismatch when the stored body disagrees with Content-Length", () => {
    const headers: HeaderList = [["Content-Length", String(Buffer.byteLength(PRETTY))], ...stripeHeader(PRETTY)];
    const r = run({ body: PRETTY.replace(/\n\s*/g, ""), headers });
    expect(r.signatureMatches).toBe(false);
    expect(find(r, "content_length_mismatch").detail).toEqual({
      declared: Buffer.byteLength(PRETTY),
      stored: Buffer.byteLength(PRETTY.replace(/\n\s*/g, "")),
    });
  });

  it("proxy_traces when Via / X-Forwarded-* are present", () => {
    const headers: HeaderList = [
      ["Via", "1.1 vegur"],
      ["X-Forwarded-For", "203.0.113.9"],
      ["X-Forwarded-Proto", "https"],
      ...stripeHeader(COMPACT, "whsec_other"),
    ];
    const r = run({ body: COMPACT, headers });
    expect(find(r, "proxy_traces").detail).toEqual({ headers: "Via, X-Forwarded-For, X-Forwarded-Proto" });
  });

  it("no diagnosis at all when the delivery is valid, proxies or not", () => {
    const headers: HeaderList = [["Via", "1.1 vegur"], ["Content-Length", "1"], ...stripeHeader(COMPACT)];
    const r = run({ body: COMPACT, headers });
    expect(r.valid).toBe(true);
    expect(r.diagnosis).toEqual([]);
  });

  it("an unexplained mismatch reports only the flags", () => {
    const r = run({ body: COMPACT, headers: [["X-Forwarded-For", "1.2.3.4"], ...stripeHeader(COMPACT, "whsec_unknown_other")] });
    expect(codesOf(r)).toEqual(["proxy_traces"]);
  });
});

describe("bounded work", () => {
  it("never re-runs the verifier more than MAX_RECHECKS times, however many candidates there are", () => {
    const spec = getProvider("twilio")!;
    let calls = 0;
    const counting = {
      ...spec,
      verify: (i: ProviderVerifyInput) => {
        calls += 1;
        return spec.verify(i);
      },
    };
    const input: ProviderVerifyInput = {
      body: Buffer.from(`${COMPACT}\n`),
      headers: [["X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="]],
      url: "https://hooks.example.test/h/1/",
      secret: " whsec_c2VjcmV0 ",
      now: NOW,
    };
    const result = spec.verify(input);
    const others = Array.from({ length: 50 }, (_, i) => ({ id: `s${i}`, label: `S${i}`, secret: `other-${i}` }));
    const out = diagnose({ spec: counting, scheme: schemeFor(spec, input), input, result, secretGiven: true, otherSecrets: others });
    expect(out.filter((d) => d.code !== "proxy_traces" && d.code !== "content_length_mismatch")).toEqual([]);
    expect(calls).toBeGreaterThan(10);
    expect(calls).toBeLessThanOrEqual(MAX_RECHECKS);
    calls = 0;
    diagnose({ spec: counting, scheme: schemeFor(spec, input), input, result, secretGiven: true, otherSecrets: others, maxRechecks: 5 });
    expect(calls).toBe(5);
  });

  it("a large non-matching body is diagnosed quickly", () => {
    const big = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ i, name: `item-${i}` })) });
    const start = performance.now();
    const r = run({ body: big, headers: stripeHeader(big, "whsec_nope") });
    expect(r.signatureMatches).toBe(false);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
