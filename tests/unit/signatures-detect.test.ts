import { describe, expect, it } from "vitest";
import { detectProvider, type Detection } from "@/lib/signatures/detect";
import { DETECT_BODY_LIMIT } from "@/lib/signatures/hints";
import { PROVIDER_IDS } from "@/lib/signatures/registry";
import type { HeaderList } from "@/lib/signatures/types";

// Realistic header sets as the providers send them (names in their usual wire case, plus the usual noise).
const common = (ua: string, type = "application/json"): [string, string][] => [
  ["Host", "hooks.example.test"],
  ["User-Agent", ua],
  ["Content-Type", type],
  ["Accept", "*/*"],
  ["Content-Length", "123"],
];

interface Case {
  name: string;
  headers: HeaderList;
  body?: string;
  expect: Partial<Detection> & { provider: Detection["provider"] };
}

const cases: Case[] = [
  {
    name: "Stripe (event type and id from the body)",
    headers: [
      ...common("Stripe/1.0 (+https://stripe.com/docs/webhooks)", "application/json; charset=utf-8"),
      ["Stripe-Signature", "t=1700000000,v1=abc,v0=def"],
    ],
    body: '{"id":"evt_1OBn3x2eZvKYlo2C","object":"event","type":"payment_intent.succeeded","data":{"object":{}}}',
    expect: { provider: "stripe", confidence: "high", eventType: "payment_intent.succeeded", deliveryId: "evt_1OBn3x2eZvKYlo2C" },
  },
  {
    name: "GitHub",
    headers: [
      ...common("GitHub-Hookshot/044aadd"),
      ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"],
      ["X-GitHub-Event", "issues"],
      ["X-GitHub-Hook-ID", "292430182"],
      ["X-GitHub-Hook-Installation-Target-ID", "79929171"],
      ["X-GitHub-Hook-Installation-Target-Type", "repository"],
      ["X-Hub-Signature", "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6"],
      ["X-Hub-Signature-256", "sha256=d57c68ca6f92289e6987922ff26938930f6e66a2d161ef06abdf1859230aa23c"],
    ],
    body: '{"action":"opened"}',
    expect: { provider: "github", confidence: "high", eventType: "issues", deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958" },
  },
  {
    name: "Standard Webhooks",
    headers: [
      ...common("Standard-Webhooks/1.0"),
      ["webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"],
      ["webhook-timestamp", "1614265330"],
      ["webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    ],
    body: '{"type":"invoice.paid","timestamp":"2022-11-03T20:26:10.344522Z","data":{}}',
    expect: { provider: "standard-webhooks", confidence: "high", eventType: "invoice.paid", deliveryId: "msg_p5jXN8AQM9LWM0D4loKWxJek" },
  },
  {
    name: "Svix (Clerk)",
    headers: [
      ...common("Svix-Webhooks/1.21.0"),
      ["svix-id", "msg_2aMvXQ0gN7lc1qMnC0N7QAGUpJv"],
      ["svix-timestamp", "1700000000"],
      ["svix-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,AAAA"],
    ],
    body: '{"data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC"},"object":"event","type":"user.created"}',
    expect: { provider: "svix", confidence: "high", eventType: "user.created", deliveryId: "msg_2aMvXQ0gN7lc1qMnC0N7QAGUpJv" },
  },
  {
    name: "Slack Events API",
    headers: [
      ...common("Slackbot 1.0 (+https://api.slack.com/robots)"),
      ["X-Slack-Signature", "v0=a2114d57"],
      ["X-Slack-Request-Timestamp", "1531420618"],
    ],
    body: '{"token":"x","team_id":"T1","type":"event_callback","event":{"type":"app_mention","text":"hi"},"event_id":"Ev08MFMKH6"}',
    expect: { provider: "slack", confidence: "high", eventType: "app_mention", deliveryId: "Ev08MFMKH6" },
  },
  {
    name: "Slack slash command (form body)",
    headers: [
      ...common("Slackbot 1.0", "application/x-www-form-urlencoded"),
      ["X-Slack-Signature", "v0=a2114d57"],
      ["X-Slack-Request-Timestamp", "1531420618"],
    ],
    body: "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fwebhook-collect&text=&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
    expect: { provider: "slack", eventType: "/webhook-collect", deliveryId: "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c" },
  },
  {
    name: "Shopify",
    headers: [
      ...common("Shopify-Captain-Hook"),
      ["X-Shopify-Topic", "orders/create"],
      ["X-Shopify-Hmac-Sha256", "XWmrwMey6OsLMeiZKwP4FppHH3cmAiiJJAweH5Jo4bM="],
      ["X-Shopify-Shop-Domain", "example.myshopify.com"],
      ["X-Shopify-API-Version", "2024-01"],
      ["X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"],
      ["X-Shopify-Triggered-At", "2023-03-29T18:00:27.877041743Z"],
      ["X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5"],
    ],
    body: '{"id":820982911946154508}',
    expect: { provider: "shopify", confidence: "high", eventType: "orders/create", deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" },
  },
  {
    name: "Twilio SMS status callback",
    headers: [
      ...common("TwilioProxy/1.1", "application/x-www-form-urlencoded"),
      ["X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="],
      ["I-Twilio-Idempotency-Token", "a3b1f6d2-7f7e-4b52-9a37-55c1f2e0e1d9"],
    ],
    body: "SmsSid=SM1234&SmsStatus=delivered&MessageStatus=delivered&To=%2B15558675310&MessageSid=SM1234&AccountSid=AC123",
    expect: { provider: "twilio", confidence: "high", eventType: "message.delivered", deliveryId: "a3b1f6d2-7f7e-4b52-9a37-55c1f2e0e1d9" },
  },
  {
    name: "Twilio voice call without idempotency header",
    headers: [...common("TwilioProxy/1.1", "application/x-www-form-urlencoded"), ["X-Twilio-Signature", "abc="]],
    body: "CallSid=CA1234567890ABCDE&CallStatus=ringing&Caller=%2B12349013030",
    expect: { provider: "twilio", eventType: "call.ringing", deliveryId: "CA1234567890ABCDE" },
  },
  {
    name: "SendGrid Event Webhook (batch of events)",
    headers: [
      ...common("SendGrid Event API"),
      [
        "X-Twilio-Email-Event-Webhook-Signature",
        "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=",
      ],
      ["X-Twilio-Email-Event-Webhook-Timestamp", "1600112502"],
    ],
    body: '[{"email":"a@example.com","event":"delivered","sg_event_id":"e1"},{"email":"b@example.com","event":"open","sg_event_id":"e2"},{"event":"delivered","sg_event_id":"e3"}]',
    expect: { provider: "sendgrid", confidence: "high", eventType: "delivered, open", deliveryId: null },
  },
  {
    name: "SendGrid single event",
    headers: [
      ...common("SendGrid Event API"),
      ["X-Twilio-Email-Event-Webhook-Signature", "MEUC"],
      ["X-Twilio-Email-Event-Webhook-Timestamp", "1600112502"],
    ],
    body: '[{"email":"hello@world.com","event":"dropped","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA"}]',
    expect: { provider: "sendgrid", eventType: "dropped", deliveryId: "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA" },
  },
  {
    name: "Mailgun (signature inside the JSON body)",
    headers: common("mailgun/treq-22.2.0"),
    body: '{"signature":{"token":"a8ce0edb2d","timestamp":"1529006854","signature":"d2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55"},"event-data":{"event":"opened","id":"Ase7i2zsRYeDXztHGENqRA","timestamp":1529006854.329574}}',
    expect: { provider: "mailgun", confidence: "high", eventType: "opened", deliveryId: "Ase7i2zsRYeDXztHGENqRA" },
  },
  {
    name: "Mailgun without its User-Agent (body only)",
    headers: [["Content-Type", "application/json"]],
    body: '{"signature":{"token":"t","timestamp":"1529006854","signature":"ab"},"event-data":{"event":"delivered","id":"id1"}}',
    expect: { provider: "mailgun", eventType: "delivered", deliveryId: "id1" },
  },
  {
    name: "Mailgun legacy form post",
    headers: common("mailgun/treq-16.12.0", "application/x-www-form-urlencoded"),
    body: "timestamp=1529006854&token=a8ce0edb2d&signature=d2271d12&event=delivered&Message-Id=%3C20180614194701.1.ABC%40example.com%3E",
    expect: { provider: "mailgun", eventType: "delivered", deliveryId: "<20180614194701.1.ABC@example.com>" },
  },
  {
    name: "Paddle Billing",
    headers: [
      ...common("Paddle"),
      ["Paddle-Signature", "ts=1671552777;h1=eb4d0dc8853be92b7f063b9f3ba5233eb920a09459b6e6b2c26705b4364db151"],
    ],
    body: '{"event_id":"evt_01h8bzak9a6wm0y4y0e3z3r7z0","event_type":"transaction.completed","occurred_at":"2023-08-22T10:00:00Z","notification_id":"ntf_01h8bzam1z32agrxjwhjgqk8w6","data":{}}',
    expect: { provider: "paddle", confidence: "high", eventType: "transaction.completed", deliveryId: "ntf_01h8bzam1z32agrxjwhjgqk8w6" },
  },
  {
    name: "Square",
    headers: [
      ...common("Square Connect v2"),
      ["x-square-hmacsha256-signature", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="],
      ["square-version", "2022-06-16"],
    ],
    body: '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","data":{}}',
    expect: {
      provider: "square",
      confidence: "high",
      eventType: "webhooks.test_notification",
      deliveryId: "ac3ac95b-f97d-458c-a6e6-18981597e05f",
    },
  },
  {
    name: "Zoom",
    headers: [
      ...common("Zoom Marketplace/1.0a"),
      ["x-zm-request-timestamp", "1700000000"],
      ["x-zm-signature", "v0=abc"],
      ["x-zm-trackingid", "v=2.0;clid=aw1;rid=WEB_0f4e"],
    ],
    body: '{"event":"meeting.started","payload":{"account_id":"a"},"event_ts":1700000000123}',
    expect: { provider: "zoom", confidence: "high", eventType: "meeting.started", deliveryId: "v=2.0;clid=aw1;rid=WEB_0f4e" },
  },
  {
    name: "Intercom (X-Hub-Signature sha1, no GitHub headers)",
    headers: [...common("Intercom-Webhooks/1.0"), ["X-Hub-Signature", "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6"]],
    body: '{"type":"notification_event","app_id":"a86dr8yl","data":{"item":{}},"id":"notif_ccd8a4d2-3fed-4f97-8f5d-2fb5e8b0d4d9","topic":"conversation.user.created","delivery_attempts":1}',
    expect: {
      provider: "intercom",
      confidence: "high",
      eventType: "conversation.user.created",
      deliveryId: "notif_ccd8a4d2-3fed-4f97-8f5d-2fb5e8b0d4d9",
    },
  },
  {
    name: "Linear",
    headers: [
      ...common("Linear-Webhook"),
      ["Linear-Delivery", "234d1a4e-b617-4388-90fe-adc3633d6b72"],
      ["Linear-Event", "Issue"],
      ["Linear-Signature", "766e1d90a96e2f5ecec342a99c5552999dd95d49250171b902d703fd674f5086"],
    ],
    body: '{"action":"create","type":"Issue","data":{},"webhookTimestamp":1676056940508}',
    expect: { provider: "linear", confidence: "high", eventType: "Issue", deliveryId: "234d1a4e-b617-4388-90fe-adc3633d6b72" },
  },
  {
    name: "Discord interaction",
    headers: [
      ...common("Discord-Interactions/1.0 (+https://discord.com)"),
      ["X-Signature-Ed25519", "a".repeat(128)],
      ["X-Signature-Timestamp", "1700000000"],
    ],
    body: '{"application_id":"1","id":"1189736049853562921","token":"aW50ZXJhY3Rpb24","type":2,"version":1,"data":{"name":"ping"}}',
    expect: { provider: "discord", confidence: "high", eventType: "APPLICATION_COMMAND", deliveryId: "1189736049853562921" },
  },
  {
    name: "Discord webhook event",
    headers: [...common("Discord-Webhook/1.0"), ["X-Signature-Ed25519", "a".repeat(128)], ["X-Signature-Timestamp", "1700000000"]],
    body: '{"version":1,"application_id":"1","type":1,"event":{"type":"APPLICATION_AUTHORIZED","timestamp":"2024-10-18T14:42:53.064834","data":{}}}',
    expect: { provider: "discord", eventType: "APPLICATION_AUTHORIZED", deliveryId: null },
  },
  {
    name: "Twitch EventSub notification",
    headers: [
      ...common("Twitch-Eventsub-Webhooks/1.0"),
      ["Twitch-Eventsub-Message-Id", "befa7b53-d79d-478f-86b9-120f112b044e"],
      ["Twitch-Eventsub-Message-Retry", "0"],
      ["Twitch-Eventsub-Message-Type", "notification"],
      ["Twitch-Eventsub-Message-Signature", "sha256=abc"],
      ["Twitch-Eventsub-Message-Timestamp", "2019-11-16T10:11:12.634234626Z"],
      ["Twitch-Eventsub-Subscription-Type", "channel.follow"],
      ["Twitch-Eventsub-Subscription-Version", "2"],
    ],
    body: '{"subscription":{},"event":{}}',
    expect: { provider: "twitch", confidence: "high", eventType: "channel.follow", deliveryId: "befa7b53-d79d-478f-86b9-120f112b044e" },
  },
  {
    name: "Twitch EventSub verification challenge",
    headers: [
      ["Twitch-Eventsub-Message-Id", "e76c6bd4-55c9-4987-8304-da1588d8988b"],
      ["Twitch-Eventsub-Message-Type", "webhook_callback_verification"],
      ["Twitch-Eventsub-Message-Signature", "sha256=abc"],
      ["Twitch-Eventsub-Subscription-Type", "channel.follow"],
    ],
    expect: { provider: "twitch", eventType: "webhook_callback_verification", deliveryId: "e76c6bd4-55c9-4987-8304-da1588d8988b" },
  },
  {
    name: "HubSpot v3",
    headers: [
      ...common("HubSpot Connect 2.0 (http://dev.hubspot.com/)"),
      ["X-HubSpot-Signature", "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"],
      ["X-HubSpot-Signature-Version", "v1"],
      ["X-HubSpot-Signature-v3", "abc="],
      ["X-HubSpot-Request-Timestamp", "1700000000000"],
    ],
    body: '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123}]',
    expect: { provider: "hubspot", confidence: "high", eventType: "contact.creation", deliveryId: "1" },
  },
  {
    name: "Typeform",
    headers: [...common("Typeform Webhooks"), ["Typeform-Signature", "sha256=abc="]],
    body: '{"event_id":"01GZ6DY4S0WB7Q2NFA2K6Y2XNX","event_type":"form_response","form_response":{}}',
    expect: { provider: "typeform", confidence: "high", eventType: "form_response", deliveryId: "01GZ6DY4S0WB7Q2NFA2K6Y2XNX" },
  },
  {
    name: "Calendly",
    headers: [...common("Calendly-Webhooks"), ["Calendly-Webhook-Signature", "t=1700000000,v1=abc"]],
    body: '{"created_at":"2023-11-14T22:13:20.000000Z","created_by":"https://api.calendly.com/users/A","event":"invitee.created","payload":{}}',
    expect: { provider: "calendly", confidence: "high", eventType: "invitee.created", deliveryId: null },
  },
  {
    name: "GitLab (secret token)",
    headers: [
      ...common("GitLab/16.6.0-pre"),
      ["X-Gitlab-Event", "Push Hook"],
      ["X-Gitlab-Webhook-UUID", "16d7d5c1-2b0b-4b3e-8a77-bd3e8a2d1e6c"],
      ["X-Gitlab-Instance", "https://gitlab.com"],
      ["X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e"],
      ["X-Gitlab-Token", "my-secret-token"],
    ],
    body: '{"object_kind":"push"}',
    expect: { provider: "gitlab", confidence: "high", eventType: "Push Hook", deliveryId: "13792a34-cac6-4fda-95a8-c58e00a3954e" },
  },
  {
    name: "GitLab signing token (Standard Webhooks headers) stays GitLab",
    headers: [
      ["X-Gitlab-Event", "Merge Request Hook"],
      ["X-Gitlab-Event-UUID", "2a0c2d1e-0000-4000-8000-000000000001"],
      ["webhook-id", "2a0c2d1e-0000-4000-8000-000000000001"],
      ["webhook-timestamp", "1700000000"],
      ["webhook-signature", "v1,abc="],
    ],
    expect: { provider: "gitlab", eventType: "Merge Request Hook", deliveryId: "2a0c2d1e-0000-4000-8000-000000000001" },
  },
  {
    name: "Bitbucket Cloud",
    headers: [
      ...common("Bitbucket-Webhooks/2.0"),
      ["X-Event-Key", "repo:push"],
      ["X-Hook-UUID", "{d1a0c5e6-8a24-4c6f-9a15-0e4f5f1c2b3a}"],
      ["X-Request-UUID", "afd1a9a5-1c34-4ab0-a8a4-6b4d2c0f3e21"],
      ["X-Attempt-Number", "1"],
      ["X-Hub-Signature", "sha256=abc"],
    ],
    body: '{"push":{}}',
    expect: { provider: "bitbucket", confidence: "high", eventType: "repo:push", deliveryId: "afd1a9a5-1c34-4ab0-a8a4-6b4d2c0f3e21" },
  },
  {
    name: "Bitbucket Data Center",
    headers: [
      ...common("Atlassian HttpClient 3.0.4 / Bitbucket-8.9.0"),
      ["X-Event-Key", "pr:opened"],
      ["X-Request-Id", "9c1d4a5b-0000-4000-8000-000000000002"],
      ["X-Hub-Signature", "sha256=abc"],
    ],
    body: '{"eventKey":"pr:opened"}',
    expect: { provider: "bitbucket", confidence: "high", eventType: "pr:opened", deliveryId: "9c1d4a5b-0000-4000-8000-000000000002" },
  },
  {
    name: "Jira Cloud admin webhook",
    headers: [
      ...common("Atlassian Webhook HTTP Client"),
      ["X-Atlassian-Webhook-Identifier", "1234567890"],
      ["X-Atlassian-Webhook-Retry", "0"],
      ["X-Hub-Signature", "sha256=abc"],
    ],
    body: '{"timestamp":1700000000000,"webhookEvent":"jira:issue_created","issue_event_type_name":"issue_created","issue":{}}',
    expect: { provider: "jira", confidence: "high", eventType: "jira:issue_created", deliveryId: "1234567890" },
  },
  {
    name: "Jira recognised from X-Hub-Signature sha256 + webhookEvent in the body",
    headers: [
      ["Content-Type", "application/json"],
      ["X-Hub-Signature", "sha256=abc"],
    ],
    body: '{"webhookEvent":"jira:issue_updated"}',
    expect: { provider: "jira", confidence: "medium", eventType: "jira:issue_updated" },
  },
];

describe("detectProvider", () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = detectProvider(c.headers, c.body);
      expect(d).toMatchObject(c.expect);
      // Bytes and strings give the same answer.
      if (c.body !== undefined) expect(detectProvider(c.headers, Buffer.from(c.body))).toEqual(d);
    });
  }

  it("covers every provider of the registry except generic", () => {
    const detected = new Set(cases.map((c) => c.expect.provider));
    for (const id of PROVIDER_IDS) if (id !== "generic") expect(detected, id).toContain(id);
  });

  it("matches header names case-insensitively", () => {
    expect(detectProvider([["stripe-signature", "t=1,v1=a"]]).provider).toBe("stripe");
    expect(detectProvider([["X-GITHUB-EVENT", "push"]])).toMatchObject({ provider: "github", eventType: "push" });
  });

  it("tells GitHub's legacy sha1 header apart from Intercom by the X-GitHub-* headers", () => {
    const sha1: [string, string] = ["X-Hub-Signature", "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6"];
    expect(detectProvider([sha1, ["X-GitHub-Event", "ping"]]).provider).toBe("github");
    expect(detectProvider([sha1]).provider).toBe("intercom");
    expect(detectProvider([sha1]).confidence).toBe("medium");
  });

  it("returns nulls for unknown senders and never throws on odd input", () => {
    const none = { provider: null, confidence: null, eventType: null, deliveryId: null };
    expect(detectProvider([["Content-Type", "application/json"]], '{"hello":"world"}')).toEqual(none);
    expect(detectProvider([])).toEqual(none);
    expect(detectProvider([["Stripe-Signature", "t=1"]], "{not json")).toMatchObject({ provider: "stripe", eventType: null });
    expect(detectProvider([["Stripe-Signature", "t=1"]], Buffer.from([0xff, 0xfe, 0x00, 0x7b]))).toMatchObject({
      provider: "stripe",
      eventType: null,
    });
    expect(detectProvider([["Paddle-Signature", "ts=1;h1=a"]], "[1,2,3]")).toMatchObject({ provider: "paddle", eventType: null });
    expect(detectProvider([["Stripe-Signature", "t=1"]], '{"type":{"nested":true},"id":42}')).toMatchObject({
      eventType: null,
      deliveryId: "42",
    });
  });

  it("does not parse bodies above the limit and cuts long values", () => {
    const big = `{"type":"x.y","pad":"${"a".repeat(DETECT_BODY_LIMIT)}"}`;
    expect(detectProvider([["Stripe-Signature", "t=1"]], big)).toMatchObject({ provider: "stripe", eventType: null });
    const long = detectProvider([["X-GitHub-Event", "e".repeat(1000)]]);
    expect(long.eventType).toHaveLength(200);
  });

  it("reads the body only when headers cannot tell", () => {
    let reads = 0;
    const body = new Proxy(new Uint8Array(Buffer.from('{"type":"x"}')), {
      get(target, prop, receiver) {
        if (prop === "byteLength") reads += 1;
        const v: unknown = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    detectProvider(
      [
        ["X-Shopify-Topic", "orders/create"],
        ["X-Shopify-Hmac-Sha256", "x"],
      ],
      body,
    );
    expect(reads).toBe(0);
  });

  it("stays cheap: 10,000 detections with bodies in well under a second", () => {
    const c = cases[0]!;
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) detectProvider(c.headers, c.body);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
