import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyHubspotV1 } from "@/lib/signatures/providers/hubspot";
import { verifyShopify } from "@/lib/signatures/providers/shopify";
import { verifySquare } from "@/lib/signatures/providers/square";

const enc = (s: string) => new TextEncoder().encode(s);
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe("verifyShopify", () => {
  // No official vector: built from the documented algorithm (base64 HMAC-SHA256 of the raw body).
  const secret = "shpss_0123456789abcdef";
  const body = '{"id":820982911946154508,"email":"jon@example.com","total_price":"199.00"}';
  const sig = createHmac("sha256", secret).update(body).digest("base64");
  const run = (o: { b?: string; s?: string; headers?: [string, string][] } = {}) =>
    verifyShopify({ body: enc(o.b ?? body), headers: o.headers ?? [["X-Shopify-Hmac-Sha256", sig]], secret: o.s ?? secret, now: 0 });

  it("verifies a correctly signed request", () => {
    expect(run()).toMatchObject({ provider: "shopify", valid: true, matchedSignature: sig, expected: sig, reasons: [] });
  });
  it("a changed body byte fails with no_match", () => {
    expect(codes(run({ b: body.replace("199.00", "199.01") }))).toEqual(["no_match"]);
  });
  it("a wrong secret fails", () => {
    expect(run({ s: "shpss_other" }).valid).toBe(false);
  });
  it("a hex digest (wrong encoding) reports signature_length", () => {
    const hex = createHmac("sha256", secret).update(body).digest("hex");
    expect(codes(run({ headers: [["X-Shopify-Hmac-SHA256", hex]] }))).toEqual(["signature_length", "no_match"]);
  });
  it("missing header → missing_header", () => {
    expect(codes(run({ headers: [] }))).toEqual(["missing_header"]);
  });
});

describe("verifySquare", () => {
  const vectors = [
    {
      name: "#1",
      key: "Ibxx_5AKakO-3qeNVR61Dw",
      url: "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9",
      body: '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
      sig: "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=",
    },
    {
      name: "#2",
      key: "signature-key",
      url: "https://webhook.site/webhooks",
      body: '{"data":{"type":"webhooks","id":">id<"}}',
      sig: "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=",
    },
  ];
  type V = (typeof vectors)[number];
  const run = (v: V, o: { url?: string | undefined; b?: string; key?: string } = {}) =>
    verifySquare({
      body: enc(o.b ?? v.body),
      headers: [["x-square-hmacsha256-signature", v.sig]],
      ...("url" in o ? (o.url === undefined ? {} : { url: o.url }) : { url: v.url }),
      secret: o.key ?? v.key,
      now: 0,
    });

  it.each(vectors)("official SDK vector $name verifies", (v) => {
    expect(run(v)).toMatchObject({ provider: "square", valid: true, matchedSignature: v.sig, expected: v.sig, reasons: [] });
  });
  it.each(vectors)("$name: one changed URL character fails", (v) => {
    expect(codes(run(v, { url: v.url.replace("webhook.site", "webhook.sitf") }))).toEqual(["no_match"]);
    expect(run(v, { url: `${v.url}/` }).valid).toBe(false);
  });
  it.each(vectors)("$name: one changed body byte fails with no_match", (v) => {
    expect(codes(run(v, { b: v.body.replace("webhooks", "webhookz") }))).toEqual(["no_match"]);
  });
  it.each(vectors)("$name: a wrong key fails", (v) => {
    expect(run(v, { key: `${v.key}x` }).valid).toBe(false);
  });
  it("no URL → missing_url", () => {
    expect(codes(run(vectors[0]!, { url: undefined }))).toEqual(["missing_url"]);
  });
  it("legacy x-square-signature (HMAC-SHA1) verifies", () => {
    const v = vectors[1]!;
    const sig = createHmac("sha1", v.key)
      .update(v.url + v.body)
      .digest("base64");
    const r = verifySquare({ body: enc(v.body), headers: [["X-Square-Signature", sig]], url: v.url, secret: v.key, now: 0 });
    expect(r.valid).toBe(true);
  });
});

describe("verifyHubspotV1", () => {
  const secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
  const body =
    '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
  const official = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de";
  const run = (o: { b?: string; s?: string; headers?: [string, string][] } = {}) =>
    verifyHubspotV1({
      body: enc(o.b ?? body),
      headers: o.headers ?? [
        ["X-HubSpot-Signature", official],
        ["X-HubSpot-Signature-Version", "v1"],
      ],
      secret: o.s ?? secret,
      now: 0,
    });

  it("official docs vector verifies", () => {
    expect(run()).toMatchObject({ provider: "hubspot", valid: true, matchedSignature: official, expected: official, reasons: [] });
    expect(
      createHash("sha256")
        .update(secret + body)
        .digest("hex"),
    ).toBe(official);
  });
  it("a changed body byte fails with no_match", () => {
    expect(codes(run({ b: body.replace('"eventId":1', '"eventId":2') }))).toEqual(["no_match"]);
  });
  it("a wrong secret fails", () => {
    expect(run({ s: "xxxxxxxx-yyyy-yyyy-yyyy-yyyyyyyyyyyy" }).valid).toBe(false);
  });
  it("a v3 request → unsupported_version", () => {
    expect(
      codes(
        run({
          headers: [
            ["X-HubSpot-Signature", official],
            ["X-HubSpot-Signature-Version", "v3"],
          ],
        }),
      ),
    ).toEqual(["unsupported_version"]);
  });
  it("missing header → missing_header", () => {
    expect(codes(run({ headers: [] }))).toEqual(["missing_header"]);
  });
});
