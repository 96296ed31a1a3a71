import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyTwilio } from "@/lib/signatures/providers/twilio";

const enc = (s: string) => new TextEncoder().encode(s);
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe("verifyTwilio", () => {
  const token = "12345";
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  // Form body of the docs example, in a non-sorted wire order with '+' percent-encoded.
  const body = "Digits=1234&To=%2B18005551212&CallSid=CA1234567890ABCDE&From=%2B12349013030&Caller=%2B12349013030";
  const official = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  const run = (o: { b?: string; u?: string | null; s?: string; sig?: string | null } = {}) =>
    verifyTwilio({
      body: enc(o.b ?? body),
      headers:
        o.sig === null
          ? []
          : [
              ["Content-Type", "application/x-www-form-urlencoded"],
              ["X-Twilio-Signature", o.sig ?? official],
            ],
      ...(o.u === null ? {} : { url: o.u ?? url }),
      secret: o.s ?? token,
      now: 0,
    });

  it("official docs example verifies (params decoded and sorted)", () => {
    expect(run()).toMatchObject({ provider: "twilio", valid: true, matchedSignature: official, expected: official, reasons: [] });
  });
  it("a changed body byte fails with no_match", () => {
    expect(codes(run({ b: body.replace("Digits=1234", "Digits=1235") }))).toEqual(["no_match"]);
  });
  it("a changed URL fails", () => {
    expect(codes(run({ u: url.replace("foo=1", "foo=2") }))).toEqual(["no_match"]);
    expect(run({ u: url.replace("https:", "http:") }).valid).toBe(false);
  });
  it("a wrong auth token fails", () => {
    expect(run({ s: "54321" }).valid).toBe(false);
  });
  it("repeated params are sorted by value within the key (built with node:crypto)", () => {
    const b = "b=2&a=z&a=y";
    const sig = createHmac("sha1", token).update(`${url}ayazb2`).digest("base64");
    expect(run({ b, sig }).valid).toBe(true);
  });
  it("JSON body: URL with bodySHA256 is signed alone and the body hash is checked", () => {
    const json = '{"event":"call.completed"}';
    const u = `https://example.com/hook?bodySHA256=${createHash("sha256").update(json).digest("hex")}`;
    const sig = createHmac("sha1", token).update(u).digest("base64");
    expect(run({ b: json, u, sig }).valid).toBe(true);
    const tampered = run({ b: json.replace("completed", "completes"), u, sig });
    expect(tampered.signatureMatches).toBe(true);
    expect(tampered.valid).toBe(false);
    expect(codes(tampered)).toEqual(["body_hash_mismatch"]);
  });
  it("missing header / URL", () => {
    expect(codes(run({ sig: null }))).toEqual(["missing_header"]);
    expect(codes(run({ u: null }))).toEqual(["missing_url"]);
  });
});
