import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { HeaderList } from "@/lib/signatures/types";
import { verifyHubspotV2, verifyHubspotV3 } from "@/lib/signatures/providers/hubspot";

// Official v2 vectors (HubSpot SDK test/unit/signature.spec.ts, recomputed in the signatures reference §1.3).
const SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const URI = "https://www.example.com/webhook_uri";
const POST_BODY = '{"example_field":"example_value"}';
const enc = (s: string) => new TextEncoder().encode(s);

describe("verifyHubspotV2 (official vectors)", () => {
  it.each([
    ["GET, empty body", "GET", "", "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"],
    ["POST with body", "POST", POST_BODY, "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900"],
  ])("%s verifies", (_l, method, body, sig) => {
    // sanity: the vector is sha256(secret + method + uri + body)
    expect(
      createHash("sha256")
        .update(SECRET + method + URI + body)
        .digest("hex"),
    ).toBe(sig);
    const headers: HeaderList = [
      ["X-HubSpot-Signature", sig],
      ["X-HubSpot-Signature-Version", "v2"],
    ];
    const r = verifyHubspotV2({ body: enc(body), headers, secret: SECRET, url: URI, method, now: 0 });
    expect(r).toMatchObject({
      provider: "hubspot",
      valid: true,
      signatureMatches: true,
      matchedSignature: sig,
      expected: sig,
      reasons: [],
    });
  });

  it("the method is signed: the POST vector with GET fails", () => {
    const headers: HeaderList = [["X-HubSpot-Signature", "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900"]];
    expect(
      verifyHubspotV2({ body: enc(POST_BODY), headers, secret: SECRET, url: URI, method: "GET", now: 0 }).reasons.map((x) => x.code),
    ).toEqual(["no_match"]);
  });

  it("the URI is signed: a trailing slash fails", () => {
    const headers: HeaderList = [["X-HubSpot-Signature", "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"]];
    expect(verifyHubspotV2({ body: enc(""), headers, secret: SECRET, url: `${URI}/`, method: "GET", now: 0 }).signatureMatches).toBe(false);
  });

  it.each([
    ["no url", [["X-HubSpot-Signature", "ab"]] as HeaderList, undefined, "missing_url"],
    [
      "v1 version header",
      [
        ["X-HubSpot-Signature", "ab"],
        ["X-HubSpot-Signature-Version", "v1"],
      ] as HeaderList,
      URI,
      "unsupported_version",
    ],
    ["no header", [] as HeaderList, URI, "missing_header"],
  ])("%s → %s", (_l, headers, url, code) => {
    const r = verifyHubspotV2({ body: enc(""), headers, secret: SECRET, ...(url !== undefined ? { url } : {}), method: "GET", now: 0 });
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual([code]);
  });
});

describe("verifyHubspotV3", () => {
  // No official v3 vector: built from the documented algorithm (base64 HMAC-SHA256 of method + URI + body + ts ms).
  const ts = 1_700_000_000_123;
  const sign = (key = SECRET, method = "POST", uri = URI, body = POST_BODY, t = ts) =>
    createHmac("sha256", key)
      .update(method + uri + body + String(t))
      .digest("base64");
  const run = (sig: string, opts: { body?: string; now?: number; url?: string; method?: string; t?: number; secret?: string } = {}) =>
    verifyHubspotV3({
      body: enc(opts.body ?? POST_BODY),
      headers: [
        ["X-HubSpot-Signature-v3", sig],
        ["X-HubSpot-Request-Timestamp", String(opts.t ?? ts)],
      ],
      secret: opts.secret ?? SECRET,
      url: opts.url ?? URI,
      method: opts.method ?? "POST",
      now: opts.now ?? ts + 1000,
    });

  it("verifies; timestamp reported in seconds with ms skew", () => {
    const r = run(sign());
    expect(r.valid).toBe(true);
    expect(r.timestamp).toEqual({ value: ts / 1000, skewSeconds: 1, withinTolerance: true });
  });

  it("the timestamp is signed", () => {
    expect(run(sign(), { t: ts + 1 }).signatureMatches).toBe(false);
  });

  it("an older than 5 min delivery: matches but not valid; the future is allowed", () => {
    const r = run(sign(), { now: ts + 300_001 });
    expect(r).toMatchObject({ signatureMatches: true, valid: false });
    expect(r.timestamp.withinTolerance).toBe(false);
    expect(run(sign(), { now: ts - 600_000 }).valid).toBe(true);
  });

  it("a non-numeric timestamp is malformed", () => {
    const r = verifyHubspotV3({
      body: enc(""),
      headers: [
        ["X-HubSpot-Signature-v3", "x"],
        ["X-HubSpot-Request-Timestamp", "soon"],
      ],
      secret: SECRET,
      url: URI,
      now: ts,
    });
    expect(r.reasons.map((x) => x.code)).toEqual(["malformed_header"]);
  });

  it("a hex digest reports signature_length", () => {
    const hex = createHmac("sha256", SECRET)
      .update(`POST${URI}${POST_BODY}${String(ts)}`)
      .digest("hex");
    expect(run(hex).reasons.map((x) => x.code)).toEqual(["signature_length", "no_match"]);
  });
});
