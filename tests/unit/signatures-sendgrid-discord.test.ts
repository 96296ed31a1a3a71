import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyDiscord } from "@/lib/signatures/providers/discord";
import { verifySendgrid } from "@/lib/signatures/providers/sendgrid";

const enc = (s: string) => new TextEncoder().encode(s);
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe("verifySendgrid", () => {
  const publicKey =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
  const ts = 1600112502;
  const payload =
    '[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]';
  const body = `${payload}\r\n`;
  const official = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
  const run = (o: { b?: string; key?: string; sig?: string; t?: string; now?: number; toleranceSeconds?: number } = {}) =>
    verifySendgrid({
      body: enc(o.b ?? body),
      headers: [
        ["X-Twilio-Email-Event-Webhook-Signature", o.sig ?? official],
        ["X-Twilio-Email-Event-Webhook-Timestamp", o.t ?? String(ts)],
      ],
      secret: o.key ?? publicKey,
      now: o.now ?? (ts + 5) * 1000,
      ...(o.toleranceSeconds !== undefined ? { toleranceSeconds: o.toleranceSeconds } : {}),
    });

  it("official SDK vector verifies (payload + trailing \\r\\n)", () => {
    const r = run();
    expect(r).toMatchObject({ provider: "sendgrid", valid: true, signatureMatches: true, matchedSignature: official, reasons: [] });
    expect(r.timestamp).toEqual({ value: ts, skewSeconds: 5, withinTolerance: null });
  });
  it("without the trailing \\r\\n it fails", () => {
    expect(codes(run({ b: payload }))).toEqual(["no_match"]);
  });
  it("a changed body byte fails with no_match", () => {
    expect(codes(run({ b: body.replace("dropped", "droppee") }))).toEqual(["no_match"]);
  });
  it("a changed timestamp fails (it is signed)", () => {
    expect(run({ t: String(ts + 1) }).signatureMatches).toBe(false);
  });
  it("a different public key fails", () => {
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "der", type: "spki" }).toString("base64");
    expect(codes(run({ key: other }))).toEqual(["no_match"]);
  });
  it("an unusable key → invalid_key", () => {
    expect(codes(run({ key: "not a key" }))).toEqual(["invalid_key"]);
  });
  it("with a tolerance, an old timestamp: signature matches, outside tolerance", () => {
    const r = run({ now: (ts + 3600) * 1000, toleranceSeconds: 300 });
    expect(r.signatureMatches).toBe(true);
    expect(r.timestamp).toEqual({ value: ts, skewSeconds: 3600, withinTolerance: false });
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(["timestamp_outside_tolerance"]);
  });
  it("a signature built with node:crypto from a fresh key pair verifies", () => {
    const { publicKey: pub, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const b = '[{"event":"delivered"}]\r\n';
    const sig = sign("sha256", Buffer.from(String(ts) + b), privateKey).toString("base64");
    expect(run({ b, sig, key: pub.export({ format: "der", type: "spki" }).toString("base64") }).valid).toBe(true);
  });
});

describe("verifyDiscord", () => {
  // No official vector: signed here with node:crypto Ed25519 over timestamp + raw body.
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const pubHex = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
  const ts = "1700000000";
  const body = '{"type":1,"id":"123","application_id":"456"}';
  const sig = sign(null, Buffer.from(ts + body), privateKey).toString("hex");
  const run = (o: { b?: string; key?: string; s?: string; now?: number; toleranceSeconds?: number; headers?: [string, string][] } = {}) =>
    verifyDiscord({
      body: enc(o.b ?? body),
      headers: o.headers ?? [
        ["X-Signature-Ed25519", o.s ?? sig],
        ["X-Signature-Timestamp", ts],
      ],
      secret: o.key ?? pubHex,
      now: o.now ?? (Number(ts) + 2) * 1000,
      ...(o.toleranceSeconds !== undefined ? { toleranceSeconds: o.toleranceSeconds } : {}),
    });

  it("verifies a correctly signed interaction", () => {
    expect(run()).toMatchObject({ provider: "discord", valid: true, matchedSignature: sig, reasons: [] });
  });
  it("a changed body byte fails with no_match", () => {
    expect(codes(run({ b: body.replace('"type":1', '"type":2') }))).toEqual(["no_match"]);
  });
  it("a different public key fails", () => {
    const other = generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
    expect(codes(run({ key: other }))).toEqual(["no_match"]);
  });
  it("an old timestamp with a tolerance: signature matches, outside tolerance", () => {
    const r = run({ now: (Number(ts) + 600) * 1000, toleranceSeconds: 300 });
    expect(r.signatureMatches).toBe(true);
    expect(r.timestamp.withinTolerance).toBe(false);
    expect(r.valid).toBe(false);
  });
  it("a truncated signature → signature_length; bad key → invalid_key; missing header", () => {
    expect(codes(run({ s: sig.slice(0, 100) }))).toEqual(["signature_length", "no_match"]);
    expect(codes(run({ key: "abc" }))).toEqual(["invalid_key"]);
    expect(codes(run({ headers: [["X-Signature-Timestamp", ts]] }))).toEqual(["missing_header"]);
  });
});
