import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyGenericHmac } from "@/lib/signatures/providers/generic";
import type { GenericHmacOptions } from "@/lib/signatures/types";

const enc = (s: string) => new TextEncoder().encode(s);
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);
const secret = "generic-secret";
const body = '{"event":"ping"}';
const ts = 1_700_000_000;

const cases: { name: string; options: GenericHmacOptions; signed: string; headers: (sig: string) => [string, string][] }[] = [
  {
    name: "Bitbucket-style sha256= hex over raw",
    options: { algorithm: "sha256", header: "X-Hub-Signature", prefix: "sha256=", encoding: "hex" },
    signed: body,
    headers: (sig) => [["X-Hub-Signature", `sha256=${createHmac("sha256", secret).update(sig).digest("hex")}`]],
  },
  {
    name: "Typeform-style sha256= base64",
    options: { algorithm: "sha256", header: "Typeform-Signature", prefix: "sha256=", encoding: "base64" },
    signed: body,
    headers: (s) => [["Typeform-Signature", `sha256=${createHmac("sha256", secret).update(s).digest("base64")}`]],
  },
  {
    name: "Intercom-style sha1",
    options: { algorithm: "sha1", header: "X-Hub-Signature", prefix: "sha1=", encoding: "hex" },
    signed: body,
    headers: (s) => [["X-Hub-Signature", `sha1=${createHmac("sha1", secret).update(s).digest("hex")}`]],
  },
  {
    name: "sha512 with {timestamp}.{body} template",
    options: { algorithm: "sha512", header: "X-Sig", encoding: "hex", template: "{timestamp}.{body}", timestampHeader: "X-Ts" },
    signed: `${ts}.${body}`,
    headers: (s) => [
      ["X-Ts", String(ts)],
      ["X-Sig", createHmac("sha512", secret).update(s).digest("hex")],
    ],
  },
];

describe("verifyGenericHmac", () => {
  it.each(cases)("$name verifies; changed body fails with no_match; wrong secret fails", (c) => {
    const headers = c.headers(c.signed);
    const ok = verifyGenericHmac({ body: enc(body), headers, secret, now: (ts + 1) * 1000 }, c.options);
    expect(ok).toMatchObject({ provider: "generic-hmac", valid: true, signatureMatches: true, reasons: [] });
    expect(ok.matchedSignature).toBe(ok.expected);
    const changed = verifyGenericHmac({ body: enc(body.replace("ping", "pong")), headers, secret, now: (ts + 1) * 1000 }, c.options);
    expect(codes(changed)).toEqual(["no_match"]);
    expect(verifyGenericHmac({ body: enc(body), headers, secret: "other", now: (ts + 1) * 1000 }, c.options).valid).toBe(false);
  });

  it("out-of-window timestamp: signature matches, withinTolerance false", () => {
    const c = cases[3]!;
    const r = verifyGenericHmac({ body: enc(body), headers: c.headers(c.signed), secret, now: (ts + 301) * 1000 }, c.options);
    expect(r.signatureMatches).toBe(true);
    expect(r.timestamp).toEqual({ value: ts, skewSeconds: 301, withinTolerance: false });
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(["timestamp_outside_tolerance"]);
  });

  it("evaluates every occurrence of the header and reports the match", () => {
    const good = createHmac("sha256", secret).update(body).digest("hex");
    const r = verifyGenericHmac(
      {
        body: enc(body),
        headers: [
          ["X-Sig", "0".repeat(64)],
          ["x-sig", good],
        ],
        secret,
        now: 0,
      },
      { algorithm: "sha256", header: "X-Sig", encoding: "hex" },
    );
    expect(r.received).toEqual(["0".repeat(64), good]);
    expect(r.matchedSignature).toBe(good);
  });

  it("supports {url} and base64-decoded secrets", () => {
    const key = Buffer.from("binary-key-bytes");
    const url = "https://hooks.example.com/in/abc?x=1";
    const sig = createHmac("sha256", key)
      .update(url + body)
      .digest("base64");
    const r = verifyGenericHmac(
      { body: enc(body), headers: [["X-Sig", sig]], url, secret: key.toString("base64"), now: 0 },
      { algorithm: "sha256", header: "X-Sig", encoding: "base64", template: "{url}{body}", secretEncoding: "base64" },
    );
    expect(r.valid).toBe(true);
  });

  it("missing signature / timestamp headers and a template without a timestamp header", () => {
    const opts: GenericHmacOptions = {
      algorithm: "sha256",
      header: "X-Sig",
      encoding: "hex",
      template: "{timestamp}.{body}",
      timestampHeader: "X-Ts",
    };
    expect(codes(verifyGenericHmac({ body: enc(body), headers: [], secret, now: 0 }, opts))).toEqual(["missing_header"]);
    expect(codes(verifyGenericHmac({ body: enc(body), headers: [["X-Sig", "ab"]], secret, now: 0 }, opts))).toEqual(["missing_header"]);
    const { timestampHeader: _omit, ...noTs } = opts;
    expect(codes(verifyGenericHmac({ body: enc(body), headers: [["X-Sig", "ab"]], secret, now: 0 }, noTs))).toEqual(["malformed_header"]);
  });
});
