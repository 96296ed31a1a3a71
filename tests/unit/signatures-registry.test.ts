import { createHash, createHmac, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseGenericOptions } from "@/lib/signatures/providers/generic";
import { getProvider, listProviders, PROVIDER_IDS } from "@/lib/signatures/registry";
import { verifyCapture, type CaptureVerification, type VerifyCaptureInput } from "@/lib/signatures/verify-capture";
import type { HeaderList } from "@/lib/signatures/types";

const codes = (r: CaptureVerification) => r.reasons.map((x) => x.code);
const SIGNATURE_CODES = ["body_reserialized", "trailing_newline", "secret_encoding", "other_secret", "url_variant", "signature_encoding"];

// ---------------------------------------------------------------------------------------------------------------
// Official vectors from the signatures reference (§1.3), through the dispatcher with detection.

const SENDGRID_KEY =
  "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
const SENDGRID_PAYLOAD =
  '[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]';
const SLACK_BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SQUARE_BODY =
  '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
const HUBSPOT_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const HUBSPOT_V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

interface Vector {
  name: string;
  provider: string;
  input: Omit<VerifyCaptureInput, "secret">;
  secret: string;
  matched: string;
  /** A `now` that puts the delivery outside the provider's window (timestamped schemes only). */
  staleNow?: number;
  /** Text in the body (or URL for URL-only content) to change by one byte. */
  flip: string;
}

const sw = (prefix: string, id: string, ts: string, sig: string): HeaderList => [
  ["Content-Type", "application/json"],
  [`${prefix}-id`, id],
  [`${prefix}-timestamp`, ts],
  [`${prefix}-signature`, sig],
];

const vectors: Vector[] = [
  {
    name: "Standard Webhooks #1",
    provider: "standard-webhooks",
    input: {
      body: '{"test": 2432232314}',
      headers: sw("webhook", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
      now: 1614265330_000,
    },
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    matched: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    staleNow: (1614265330 + 301) * 1000,
    flip: "2432232314",
  },
  {
    name: "Standard Webhooks #2",
    provider: "standard-webhooks",
    input: {
      body: '{"email":"test@example.com","username":"test_user"}',
      headers: sw("webhook", "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", "1649367553", "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="),
      now: 1649367553_000,
    },
    secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    matched: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    staleNow: (1649367553 - 301) * 1000,
    flip: "test_user",
  },
  {
    name: "Svix headers with the Standard Webhooks vector",
    provider: "svix",
    input: {
      body: '{"test": 2432232314}',
      headers: sw("svix", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
      now: 1614265330_000,
    },
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    matched: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    staleNow: (1614265330 + 600) * 1000,
    flip: "2432232314",
  },
  {
    name: "GitHub",
    provider: "github",
    input: {
      body: "Hello, World!",
      headers: [
        ["X-GitHub-Event", "ping"],
        ["X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
      ],
      now: 0,
    },
    secret: "It's a Secret to Everybody",
    matched: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    flip: "World",
  },
  {
    name: "Slack",
    provider: "slack",
    input: {
      body: SLACK_BODY,
      headers: [
        ["X-Slack-Request-Timestamp", "1531420618"],
        ["X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"],
      ],
      now: 1531420618_000 + 60_000,
    },
    secret: "8f742231b10e8888abcd99yyyzzz85a5",
    matched: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    staleNow: 1531420618_000 + 301_000,
    flip: "roadrunner",
  },
  {
    name: "Twilio",
    provider: "twilio",
    input: {
      body: "Digits=1234&To=%2B18005551212&CallSid=CA1234567890ABCDE&From=%2B12349013030&Caller=%2B12349013030",
      headers: [
        ["Content-Type", "application/x-www-form-urlencoded"],
        ["X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="],
      ],
      url: "https://mycompany.com/myapp.php?foo=1&bar=2",
      now: 0,
    },
    secret: "12345",
    matched: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
    flip: "Digits=1234",
  },
  {
    name: "SendGrid (payload + CRLF)",
    provider: "sendgrid",
    input: {
      body: `${SENDGRID_PAYLOAD}\r\n`,
      headers: [
        [
          "X-Twilio-Email-Event-Webhook-Signature",
          "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=",
        ],
        ["X-Twilio-Email-Event-Webhook-Timestamp", "1600112502"],
      ],
      now: 1600112502_000,
    },
    secret: SENDGRID_KEY,
    matched: "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=",
    flip: "dropped",
  },
  {
    name: "Paddle #1",
    provider: "paddle",
    input: {
      body: '{"data": ["1", "2"]}',
      headers: [["Paddle-Signature", "ts=1698796800;h1=a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9"]],
      now: 1698796800_000 + 4_000,
    },
    secret: "VALID_SECRET",
    matched: "a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9",
    staleNow: 1698796800_000 + 6_000,
    flip: '"2"',
  },
  {
    name: "Paddle #2",
    provider: "paddle",
    input: {
      body: '{"data": "value"}',
      headers: [["Paddle-Signature", "ts=1698796800;h1=28981e941fae76e53db32f3d2a83cb69db41476595e84e1970a1b5d98f62b261"]],
      now: 1698796800_000,
    },
    secret: "VALID_SECRET",
    matched: "28981e941fae76e53db32f3d2a83cb69db41476595e84e1970a1b5d98f62b261",
    staleNow: 1698796800_000 - 6_000,
    flip: "value",
  },
  {
    name: "Square #1",
    provider: "square",
    input: {
      body: SQUARE_BODY,
      headers: [["x-square-hmacsha256-signature", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="]],
      url: "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9",
      now: 0,
    },
    secret: "Ibxx_5AKakO-3qeNVR61Dw",
    matched: "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=",
    flip: "MLEFBHHSJGVHD",
  },
  {
    name: "Square #2",
    provider: "square",
    input: {
      body: '{"data":{"type":"webhooks","id":">id<"}}',
      headers: [["x-square-hmacsha256-signature", "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U="]],
      url: "https://webhook.site/webhooks",
      now: 0,
    },
    secret: "signature-key",
    matched: "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=",
    flip: ">id<",
  },
  {
    name: "HubSpot v1",
    provider: "hubspot",
    input: {
      body: HUBSPOT_V1_BODY,
      headers: [
        ["X-HubSpot-Signature", "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"],
        ["X-HubSpot-Signature-Version", "v1"],
      ],
      now: 0,
    },
    secret: HUBSPOT_SECRET,
    matched: "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de",
    flip: "62515",
  },
  {
    name: "HubSpot v2 (GET, empty body)",
    provider: "hubspot",
    input: {
      body: "",
      headers: [
        ["X-HubSpot-Signature", "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"],
        ["X-HubSpot-Signature-Version", "v2"],
      ],
      url: "https://www.example.com/webhook_uri",
      method: "GET",
      now: 0,
    },
    secret: HUBSPOT_SECRET,
    matched: "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e",
    flip: "",
  },
  {
    name: "HubSpot v2 (POST)",
    provider: "hubspot",
    input: {
      body: '{"example_field":"example_value"}',
      headers: [
        ["X-HubSpot-Signature", "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900"],
        ["X-HubSpot-Signature-Version", "v2"],
      ],
      url: "https://www.example.com/webhook_uri",
      method: "POST",
      now: 0,
    },
    secret: HUBSPOT_SECRET,
    matched: "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
    flip: "example_value",
  },
];

function flipOne(text: string, needle: string): string {
  expect(text).toContain(needle);
  const i = text.indexOf(needle);
  const c = text.charCodeAt(i);
  return text.slice(0, i) + String.fromCharCode(c === 0x41 ? 0x42 : c ^ 1) + text.slice(i + 1);
}

describe("verifyCapture over the official vectors (provider detected)", () => {
  for (const v of vectors) {
    describe(v.name, () => {
      it("verifies, reports the matched and expected signature", () => {
        const r = verifyCapture({ ...v.input, secret: v.secret });
        expect(r).toMatchObject({
          provider: v.provider,
          detected: true,
          valid: true,
          signatureMatches: true,
          matchedSignature: v.matched,
          reasons: [],
          diagnosis: [],
        });
        expect(r.received).toContain(v.matched);
        if (v.provider !== "sendgrid") expect(r.expected).toBe(v.matched);
        // Naming the provider gives the same result.
        expect(verifyCapture({ ...v.input, provider: v.provider, secret: v.secret })).toMatchObject({ valid: true, detected: false });
      });

      it("one changed byte fails with no_match", () => {
        const input =
          v.flip === ""
            ? { ...v.input, url: flipOne(v.input.url!, "webhook_uri") }
            : { ...v.input, body: flipOne(v.input.body as string, v.flip) };
        const r = verifyCapture({ ...input, provider: v.provider, secret: v.secret });
        expect(r.valid).toBe(false);
        expect(r.signatureMatches).toBe(false);
        expect(codes(r)).toContain("no_match");
      });

      it("a wrong secret fails", () => {
        const wrong =
          v.provider === "sendgrid"
            ? generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "der", type: "spki" }).toString("base64")
            : v.secret.slice(0, -1) + (v.secret.endsWith("A") ? "B" : "A");
        const r = verifyCapture({ ...v.input, provider: v.provider, secret: wrong });
        expect(r).toMatchObject({ valid: false, signatureMatches: false, matchedSignature: null });
        expect(codes(r)).toContain("no_match");
      });

      if (v.staleNow !== undefined) {
        it("an out-of-window timestamp is stale, not a bad signature", () => {
          const r = verifyCapture({ ...v.input, now: v.staleNow!, secret: v.secret });
          expect(r).toMatchObject({ valid: false, signatureMatches: true, matchedSignature: v.matched });
          expect(r.timestamp.withinTolerance).toBe(false);
          expect(r.timestamp.toleranceSeconds).toBe(getProvider(v.provider)!.toleranceSeconds);
          expect(codes(r)).toEqual(["timestamp_outside_tolerance"]);
          expect(r.diagnosis.filter((d) => SIGNATURE_CODES.includes(d.code))).toEqual([]);
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Providers without an official vector: signed here with node:crypto straight from the documented algorithm.

const T = 1_700_000_000;
const NOW = T * 1000 + 2_000;
const S = "s3cr3t_for_dispatch_tests";
const BODY = '{"id":"evt_1","type":"thing.created","data":{"name":"Zoë"}}';
const hex = (alg: "sha1" | "sha256", data: string, key: string | Buffer = S) => createHmac(alg, key).update(data).digest("hex");
const b64 = (data: string, key: string | Buffer = S) => createHmac("sha256", key).update(data).digest("base64");

const ed = generateKeyPairSync("ed25519");
const edPublicHex = (ed.publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(12).toString("hex");
const TWITCH_TS = "2023-11-14T22:13:20.123456789Z";
const LINEAR_BODY = `{"action":"create","type":"Issue","data":{},"webhookTimestamp":${T * 1000}}`;
const MG_BODY = JSON.stringify({
  signature: { timestamp: String(T), token: "tok123", signature: hex("sha256", `${T}tok123`) },
  "event-data": { event: "delivered", id: "m1" },
});

const built: {
  provider: string;
  headers: HeaderList;
  body?: string;
  url?: string;
  secret?: string;
  matched: string;
  eventType?: string | null;
}[] = [
  {
    provider: "stripe",
    headers: [["Stripe-Signature", `t=${T},v1=${hex("sha256", `${T}.${BODY}`)}`]],
    matched: hex("sha256", `${T}.${BODY}`),
    eventType: "thing.created",
  },
  {
    provider: "shopify",
    headers: [
      ["X-Shopify-Hmac-Sha256", b64(BODY)],
      ["X-Shopify-Topic", "orders/create"],
    ],
    matched: b64(BODY),
    eventType: "orders/create",
  },
  {
    provider: "zoom",
    headers: [
      ["x-zm-request-timestamp", String(T)],
      ["x-zm-signature", `v0=${hex("sha256", `v0:${T}:${BODY}`)}`],
    ],
    matched: `v0=${hex("sha256", `v0:${T}:${BODY}`)}`,
  },
  { provider: "intercom", headers: [["X-Hub-Signature", `sha1=${hex("sha1", BODY)}`]], matched: `sha1=${hex("sha1", BODY)}` },
  {
    provider: "linear",
    headers: [
      ["Linear-Signature", hex("sha256", LINEAR_BODY)],
      ["Linear-Event", "Issue"],
    ],
    body: LINEAR_BODY,
    matched: hex("sha256", LINEAR_BODY),
    eventType: "Issue",
  },
  {
    provider: "discord",
    headers: [
      ["X-Signature-Timestamp", String(T)],
      ["X-Signature-Ed25519", sign(null, Buffer.from(`${T}${BODY}`), ed.privateKey).toString("hex")],
    ],
    secret: edPublicHex,
    matched: sign(null, Buffer.from(`${T}${BODY}`), ed.privateKey).toString("hex"),
  },
  {
    provider: "twitch",
    headers: [
      ["Twitch-Eventsub-Message-Id", "m-1"],
      ["Twitch-Eventsub-Message-Timestamp", TWITCH_TS],
      ["Twitch-Eventsub-Message-Type", "notification"],
      ["Twitch-Eventsub-Subscription-Type", "channel.follow"],
      ["Twitch-Eventsub-Message-Signature", `sha256=${hex("sha256", `m-1${TWITCH_TS}${BODY}`)}`],
    ],
    matched: `sha256=${hex("sha256", `m-1${TWITCH_TS}${BODY}`)}`,
    eventType: "channel.follow",
  },
  {
    provider: "hubspot",
    headers: [
      ["X-HubSpot-Request-Timestamp", String(T * 1000)],
      ["X-HubSpot-Signature-v3", b64(`POSThttps://hooks.example.test/h/1?a=b${BODY}${T * 1000}`)],
    ],
    url: "https://hooks.example.test/h/1?a=b",
    matched: b64(`POSThttps://hooks.example.test/h/1?a=b${BODY}${T * 1000}`),
  },
  { provider: "typeform", headers: [["Typeform-Signature", `sha256=${b64(BODY)}`]], matched: `sha256=${b64(BODY)}` },
  {
    provider: "calendly",
    headers: [["Calendly-Webhook-Signature", `t=${T},v1=${hex("sha256", `${T}.${BODY}`)}`]],
    matched: hex("sha256", `${T}.${BODY}`),
  },
  {
    provider: "gitlab",
    headers: [
      ["X-Gitlab-Event", "Push Hook"],
      ["X-Gitlab-Token", S],
    ],
    matched: S,
    eventType: "Push Hook",
  },
  {
    provider: "gitlab",
    headers: [
      ["X-Gitlab-Event", "Push Hook"],
      ["webhook-id", "wh-1"],
      ["webhook-timestamp", String(T)],
      ["webhook-signature", `v1,${b64(`wh-1.${T}.${BODY}`, Buffer.from("c2lnbmluZy10b2tlbi1ieXRlcw==", "base64"))}`],
    ],
    secret: "whsec_c2lnbmluZy10b2tlbi1ieXRlcw==",
    matched: `v1,${b64(`wh-1.${T}.${BODY}`, Buffer.from("c2lnbmluZy10b2tlbi1ieXRlcw==", "base64"))}`,
  },
  {
    provider: "bitbucket",
    headers: [
      ["X-Event-Key", "repo:push"],
      ["X-Hub-Signature", `sha256=${hex("sha256", BODY)}`],
    ],
    matched: `sha256=${hex("sha256", BODY)}`,
  },
  {
    provider: "jira",
    headers: [
      ["X-Atlassian-Webhook-Identifier", "42"],
      ["X-Hub-Signature", `sha256=${hex("sha256", BODY)}`],
    ],
    matched: `sha256=${hex("sha256", BODY)}`,
  },
  {
    provider: "mailgun",
    headers: [["Content-Type", "application/json"]],
    body: MG_BODY,
    matched: hex("sha256", `${T}tok123`),
    eventType: "delivered",
  },
];

describe("verifyCapture dispatches every provider", () => {
  for (const c of built) {
    it(`${c.provider} (${c.headers.map(([n]) => n).join(", ")})`, () => {
      const r = verifyCapture({
        body: c.body ?? BODY,
        headers: c.headers,
        ...(c.url ? { url: c.url } : {}),
        secret: c.secret ?? S,
        now: NOW,
      });
      expect(r).toMatchObject({
        provider: c.provider,
        detected: true,
        valid: true,
        signatureMatches: true,
        matchedSignature: c.matched,
        diagnosis: [],
      });
      if (c.eventType !== undefined) expect(r.eventType).toBe(c.eventType);
      // Token and public-key schemes never echo an expected value (the token would be the secret itself).
      if ((c.provider === "gitlab" && c.secret === undefined) || c.provider === "discord") expect(r.expected).toBeNull();
      else expect(r.expected).not.toBeNull();
      const bad = verifyCapture({
        body: c.body ?? BODY,
        headers: c.headers,
        ...(c.url ? { url: c.url } : {}),
        secret: c.provider === "discord" ? "ab".repeat(32) : "nope",
        now: NOW,
      });
      expect(bad.valid).toBe(false);
    });
  }

  it("has one table row per provider id, with the documented windows", () => {
    expect(listProviders().map((p) => p.id)).toEqual([...PROVIDER_IDS]);
    const windows = Object.fromEntries(listProviders().map((p) => [p.id, p.toleranceSeconds]));
    expect(windows).toMatchObject({
      stripe: 300,
      "standard-webhooks": 300,
      slack: 300,
      paddle: 5,
      linear: 60,
      twitch: 600,
      calendly: 180,
      github: null,
      zoom: null,
    });
    expect(
      listProviders()
        .filter((p) => p.signsUrl)
        .map((p) => p.id)
        .sort(),
    ).toEqual(["hubspot", "square", "twilio"]);
    expect(getProvider("STRIPE")?.id).toBe("stripe");
    expect(getProvider("paypal")).toBeNull();
  });

  it("generic HMAC with its options", () => {
    const sig = `sha512=${createHmac("sha512", S).update(`${T}:${BODY}`).digest("base64")}`;
    const headers: HeaderList = [
      ["X-Signature", sig],
      ["X-Timestamp", String(T)],
    ];
    const generic = {
      algorithm: "sha512",
      header: "X-Signature",
      prefix: "sha512=",
      encoding: "base64",
      template: "{timestamp}:{body}",
      timestampHeader: "X-Timestamp",
    } as const;
    const r = verifyCapture({ provider: "generic", body: BODY, headers, secret: S, now: NOW, generic });
    expect(r).toMatchObject({
      provider: "generic",
      valid: true,
      matchedSignature: sig,
      timestamp: { value: T, withinTolerance: true, toleranceSeconds: 300 },
    });
    expect(codes(verifyCapture({ provider: "generic", body: BODY, headers, secret: S, now: NOW }))).toEqual(["missing_generic_options"]);
    const bad = { ...generic, algorithm: "md4" } as unknown as typeof generic;
    expect(verifyCapture({ provider: "generic", body: BODY, headers, secret: S, now: NOW, generic: bad }).reasons).toEqual([
      { code: "invalid_generic_options", message: "algorithm must be sha1, sha256 or sha512." },
    ]);
  });

  it("parseGenericOptions validates untrusted JSON", () => {
    expect(parseGenericOptions({ algorithm: "sha256", header: "X-Sig", encoding: "hex", extra: 1 })).toEqual({
      ok: true,
      options: { algorithm: "sha256", header: "X-Sig", encoding: "hex" },
    });
    for (const bad of [
      null,
      [],
      "x",
      { algorithm: "sha256", header: "bad header", encoding: "hex" },
      { algorithm: "sha256", header: "X", encoding: "b32" },
      { algorithm: "sha256", header: "X", encoding: "hex", template: "{timestamp}" },
      { algorithm: "sha256", header: "X", encoding: "hex", toleranceSeconds: -1 },
      { algorithm: "sha256", header: "X", encoding: "hex", secretEncoding: "latin1" },
    ]) {
      expect(parseGenericOptions(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("verifyCapture: multiple signatures, windows, missing pieces", () => {
  it("Stripe with two v1 signatures reports the one that matches", () => {
    const good = hex("sha256", `${T}.${BODY}`);
    const other = hex("sha256", `${T}.${BODY}`, "whsec_old_secret");
    const r = verifyCapture({
      body: BODY,
      headers: [["Stripe-Signature", `t=${T},v1=${other},v1=${good},v0=deadbeef`]],
      secret: S,
      now: NOW,
    });
    expect(r).toMatchObject({ provider: "stripe", valid: true, matchedSignature: good, received: [other, good] });
  });

  it("a Standard Webhooks signature list reports the matching entry", () => {
    const key = Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64");
    const good = `v1,${b64(`msg_1.${T}.${BODY}`, key)}`;
    const stale = `v1,${b64(`msg_1.${T}.${BODY}`, Buffer.from("b3RoZXI=", "base64"))}`;
    const r = verifyCapture({
      body: BODY,
      headers: sw("webhook", "msg_1", String(T), `${stale} v1a,ZWQyNTUxOQ== ${good}`),
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      now: NOW,
    });
    expect(r).toMatchObject({ valid: true, matchedSignature: good });
    expect(r.received).toHaveLength(3);
  });

  it("the tolerance override applies and is reported", () => {
    const headers: HeaderList = [["Stripe-Signature", `t=${T},v1=${hex("sha256", `${T}.${BODY}`)}`]];
    const r = verifyCapture({ body: BODY, headers, secret: S, now: NOW + 60_000, toleranceSeconds: 30 });
    expect(r).toMatchObject({
      valid: false,
      signatureMatches: true,
      timestamp: { withinTolerance: false, toleranceSeconds: 30, skewSeconds: 62 },
    });
    expect(verifyCapture({ body: BODY, headers, secret: S, now: NOW }).timestamp).toEqual({
      value: T,
      skewSeconds: 2,
      withinTolerance: true,
      toleranceSeconds: 300,
    });
  });

  it("schemes without a window report withinTolerance null", () => {
    const r = verifyCapture({ body: BODY, headers: [["X-Shopify-Hmac-Sha256", b64(BODY)]], secret: S, now: NOW });
    expect(r.timestamp).toEqual({ value: null, skewSeconds: null, withinTolerance: null, toleranceSeconds: null });
  });

  it("without a secret: not valid, missing_secret, timestamp still judged, no expected value", () => {
    const headers: HeaderList = [["Stripe-Signature", `t=${T},v1=${hex("sha256", `${T}.${BODY}`)}`]];
    for (const secret of [null, ""]) {
      const r = verifyCapture({ body: BODY, headers, secret, now: NOW + 3_600_000 });
      expect(r).toMatchObject({ provider: "stripe", valid: false, signatureMatches: false, expected: null, matchedSignature: null });
      expect(codes(r)).toEqual(["missing_secret", "timestamp_outside_tolerance"]);
      expect(r.received).toHaveLength(1);
    }
  });

  it("unknown or undetectable provider", () => {
    expect(verifyCapture({ body: BODY, headers: [], secret: S, now: NOW })).toMatchObject({
      provider: null,
      detected: true,
      valid: false,
      reasons: [{ code: "unknown_provider" }],
    });
    expect(verifyCapture({ provider: "paypal", body: BODY, headers: [], secret: S, now: NOW })).toMatchObject({
      provider: null,
      detected: false,
      reasons: [{ code: "unknown_provider" }],
    });
  });

  it("a named provider wins over detection; event type only when they agree", () => {
    const sig = `sha256=${hex("sha256", BODY)}`;
    const headers: HeaderList = [
      ["X-Hub-Signature", sig],
      ["X-Event-Key", "repo:push"],
      ["X-Request-UUID", "u1"],
    ];
    const asJira = verifyCapture({ provider: "jira", body: BODY, headers, secret: S, now: NOW });
    expect(asJira).toMatchObject({ provider: "jira", valid: true, eventType: null, deliveryId: null });
    expect(verifyCapture({ provider: "bitbucket", body: BODY, headers, secret: S, now: NOW })).toMatchObject({
      eventType: "repo:push",
      deliveryId: "u1",
    });
  });

  it("missing headers are reported as such, with no diagnosis re-checks", () => {
    const r = verifyCapture({ provider: "stripe", body: BODY, headers: [["Content-Length", "1"]], secret: S, now: NOW });
    expect(codes(r)).toEqual(["missing_header"]);
    expect(r.diagnosis.map((d) => d.code)).toEqual(["content_length_mismatch"]);
  });

  it("HubSpot v3 without the URL asks for it", () => {
    const headers: HeaderList = [
      ["X-HubSpot-Request-Timestamp", String(T * 1000)],
      ["X-HubSpot-Signature-v3", "abc="],
    ];
    expect(codes(verifyCapture({ body: BODY, headers, secret: S, now: NOW }))).toContain("missing_url");
  });

  it("the body is the exact bytes: a Buffer with invalid UTF-8 verifies as sent", () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const sig = createHmac("sha256", S).update(bytes).digest("hex");
    const r = verifyCapture({
      body: bytes,
      headers: [
        ["X-GitHub-Event", "push"],
        ["X-Hub-Signature-256", `sha256=${sig}`],
      ],
      secret: S,
      now: NOW,
    });
    expect(r.valid).toBe(true);
    expect(createHash("sha256").update(bytes).digest("hex")).toHaveLength(64);
  });
});
