// Secrets that are keys in an encoding decode strictly (lib/signatures/secret-encoding.ts), as the providers' official
// libraries decode them: a Standard Webhooks secret with a character added or changed is no key, where Node's lenient
// base64 decoder made it the original key and the delivery verified. Verifiers answer invalid_key; the verify API
// (verifyStored) refuses a malformed one-off secret with a 422 that says what is wrong.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { verifyStored } from "@/lib/signatures/evaluate";
import type { StoredCapture } from "@/lib/signatures/stored-capture";
import { verifyCapture } from "@/lib/signatures/verify-capture";
import { decodeBase64Strict, decodeHexStrict, secretProblem } from "@/lib/signatures/secret-encoding";
import { verifyGenericHmac } from "@/lib/signatures/providers/generic";
import { verifyStandardWebhooks } from "@/lib/signatures/providers/standard-webhooks";

// Standard Webhooks official vector #2 (libraries/rust/src/lib.rs).
const V2 = {
  secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
  id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
  ts: 1649367553,
  body: '{"email":"test@example.com","username":"test_user"}',
  sig: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
};
const headers = [
  ["webhook-id", V2.id],
  ["webhook-timestamp", String(V2.ts)],
  ["webhook-signature", V2.sig],
] as const;
const v2 = (secret: string) => verifyStandardWebhooks({ body: Buffer.from(V2.body), headers, secret, now: V2.ts * 1000 });

describe("decodeBase64Strict", () => {
  it.each([
    ["QQ==", "A"],
    ["QUI=", "AB"],
    ["QUJD", "ABC"],
    ["C2FVsBQIhrscChlQIMV+b5sSYspob7oD", null],
  ])("accepts canonical base64 %j", (text, decoded) => {
    const r = decodeBase64Strict(text);
    expect(r.ok).toBe(true);
    if (r.ok && decoded !== null) expect(r.bytes.toString()).toBe(decoded);
  });

  it.each([
    ["C2FVsBQIhrscChlQIMV+b5sSYspob7oDx", /33 characters long, not a multiple of 4/],
    ["C2FVsBQIhrscChlQIMV+b5sSYspob7o", /31 characters long/],
    ["QQ", /2 characters long/], // unpadded
    ["QR==", /not canonical base64/], // same byte as QQ==, unused bits set
    ["QUJ=", /not canonical/],
    ["QQ=A", /padding that is not at the end/],
    ["Q===", /padding that is not at the end|multiple of 4|canonical/],
    ["QQ==\n", /whitespace/],
    ["QU I=", /whitespace/],
    ["QUI!", /not base64 at character 4/],
    ["QU-_", /base64url/],
    ["", /empty/],
  ])("refuses %j", (text, message) => {
    const r = decodeBase64Strict(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("decodeHexStrict", () => {
  it("accepts even-length hex in either case", () => {
    const r = decodeHexStrict("00ffAB");
    expect(r.ok && [...r.bytes]).toEqual([0, 255, 171]);
  });
  it.each([
    ["abc", /odd number/],
    ["abcg", /not hex .* at character 4/],
    ["ab cd", /not hex/],
    ["", /empty/],
  ])("refuses %j", (text, message) => {
    const r = decodeHexStrict(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("Standard Webhooks secrets", () => {
  it("the official vector verifies", () => {
    expect(v2(V2.secret)).toMatchObject({ valid: true, signatureMatches: true });
  });

  it.each([
    ["a character added (whsec_…oDx)", `${V2.secret}x`],
    ["a character dropped", V2.secret.slice(0, -1)],
    ["a newline after it", `${V2.secret}\n`],
    ["a character that is not base64", `${V2.secret.slice(0, -1)}!`],
  ])("%s is no key: invalid_key, not a match", (_what, secret) => {
    const r = v2(secret);
    expect(r).toMatchObject({ valid: false, signatureMatches: false });
    expect(r.reasons.map((x) => x.code)).toEqual(["invalid_key"]);
    expect(r.reasons[0]!.message).toMatch(/^The signing secret after its whsec_ prefix /);
  });

  it("a changed character whose only change is in unused bits is refused too", () => {
    // 23 bytes → 31 characters + "=": the last character's 2 low bits are unused.
    const key = Buffer.alloc(23, 7).toString("base64");
    const twin = `${key.slice(0, 30)}${String.fromCharCode(key.charCodeAt(30) + 1)}=`;
    expect(Buffer.from(twin, "base64").equals(Buffer.from(key, "base64"))).toBe(true); // what the lenient decoder saw
    expect(secretProblem("whsec-base64", `whsec_${twin}`, "standard-webhooks")).toMatch(/not canonical/);
  });

  it("the dispatcher reports it for a one-off secret too (no secret at all stays missing_secret)", () => {
    const r = verifyCapture({ provider: "standard-webhooks", body: V2.body, headers, secret: `${V2.secret}x`, now: V2.ts * 1000 });
    expect(r.valid).toBe(false);
    const none = verifyCapture({ provider: "standard-webhooks", body: V2.body, headers, secret: null, now: V2.ts * 1000 });
    expect(none.reasons.map((x) => x.code)).toContain("missing_secret");
  });
});

describe("generic HMAC secrets configured as base64 or hex", () => {
  const body = Buffer.from("hello");
  const key = Buffer.from("0123456789abcdef0123456789abcdef", "hex");
  const sig = createHmac("sha256", key).update(body).digest("hex");
  const run = (secret: string, secretEncoding: "hex" | "base64") =>
    verifyGenericHmac(
      { body, headers: [["X-Sig", sig]], secret, now: 0 },
      { algorithm: "sha256", header: "X-Sig", encoding: "hex", secretEncoding },
    );

  it("the exact encodings verify", () => {
    expect(run(key.toString("hex"), "hex").valid).toBe(true);
    expect(run(key.toString("base64"), "base64").valid).toBe(true);
  });

  it("a hex secret with a digit added, and base64 with a character added, are refused (Buffer.from accepted both)", () => {
    for (const r of [run(`${key.toString("hex")}0`, "hex"), run(`${key.toString("base64")}A`, "base64")]) {
      expect(r.valid).toBe(false);
      expect(r.reasons.map((x) => x.code)).toEqual(["invalid_key"]);
    }
  });
});

describe("public keys", () => {
  it.each([
    ["discord", "ab".repeat(31), /32 bytes/],
    ["discord", `${"ab".repeat(32)}x`, /not hex/],
    [
      "sendgrid",
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==x",
      /padding that is not at the end/,
    ],
    ["sendgrid", "QUJD", /not an ECDSA public key/],
  ])("%s %j is refused", (provider, secret, message) => {
    expect(secretProblem("public-key", secret, provider)).toMatch(message);
  });
  it("SendGrid's official key is accepted", () => {
    expect(
      secretProblem(
        "public-key",
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==",
        "sendgrid",
      ),
    ).toBeNull();
  });
  it("text secrets are anything", () => {
    expect(secretProblem("utf8", "whsec_not base64 at all!", "stripe")).toBeNull();
    expect(secretProblem("token", " glpat ", "gitlab")).toBeNull();
  });
});

describe("verifyStored: a malformed one-off secret is a 422 that says what is wrong", () => {
  const capture: StoredCapture = {
    id: "cap_1",
    endpointId: "ep_1",
    method: "POST",
    path: "",
    query: "",
    headers: headers.map(([n, v]) => [n, v] as [string, string]),
    body: Buffer.from(V2.body),
    contentType: "application/json",
    receivedAt: V2.ts * 1000,
  };
  const endpoint = { token: "tok", alias: null };

  it("the official secret verifies; one character added is refused before any verification", () => {
    expect(verifyStored(capture, endpoint, [], { secret: V2.secret }).valid).toBe(true);
    let err: unknown;
    try {
      verifyStored(capture, endpoint, [], { secret: `${V2.secret}x` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: "invalid_request" });
    expect((err as Error).message).toMatch(
      /^secret: the signing secret after its whsec_ prefix is 33 characters long, not a multiple of 4/,
    );
    expect((err as Error).message).not.toContain(V2.secret.slice(6, 20));
  });

  it("generic options decide: a base64-configured secret that is not base64 is refused", () => {
    const generic = { algorithm: "sha256", header: "webhook-signature", encoding: "base64", secretEncoding: "base64" };
    expect(() => verifyStored(capture, endpoint, [], { provider: "generic", secret: "abc", generic })).toThrow(
      /secret: the secret \(configured as base64\) is 3 characters long/,
    );
    expect(() =>
      verifyStored(capture, endpoint, [], { provider: "generic", secret: "abc", generic: { ...generic, secretEncoding: "utf8" } }),
    ).not.toThrow();
  });
});
