// The signature lab over the real server: requests signed with node:crypto straight from each provider's
// documented algorithm (never with the code under test) go through the real capture door, then are verified
// through the API; each diagnosis cause comes from a real captured request; saved secrets are sealed at rest and
// never returned; statuses follow secret changes; list, detail and live events carry the detected sender.
import { createHash, createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import pg from "pg";
import path from "node:path";
import { Api, providers, startServer, type TestServer } from "../helpers/server";
import { rawRequest } from "../helpers/raw-http";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const hmacHex = (alg: string, key: string | Buffer, data: string | Buffer) => createHmac(alg, key).update(data).digest("hex");
const hmacB64 = (alg: string, key: string | Buffer, data: string | Buffer) => createHmac(alg, key).update(data).digest("base64");
const nowS = () => Math.floor(Date.now() / 1000);

interface Signed {
  /** Sub-path and query after the capture URL, e.g. "/hook?x=1". */
  path?: string;
  headers: Record<string, string>;
  body: string;
  method?: string;
}

interface ProviderCase {
  provider: string;
  /** The secret (or public key) to verify with. */
  secret: string;
  eventType: string | null;
  deliveryId?: string | null;
  sign(captureUrl: string): Signed;
  generic?: Record<string, unknown>;
  /** A wrong secret (default: the secret with "-wrong" appended). */
  wrong?: string;
}

function ed25519(): { privateKey: KeyObject; publicHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  return { privateKey, publicHex: spki.subarray(spki.length - 32).toString("hex") };
}

function p256(): { privateKey: KeyObject; publicB64: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicB64: publicKey.export({ format: "der", type: "spki" }).toString("base64") };
}

const discordKeys = ed25519();
const sendgridKeys = p256();
const SVIX_KEY = Buffer.from("signature-lab-svix-key-24b").toString("base64");

/** One signed delivery per provider, built from the documented algorithm. */
const CASES: ProviderCase[] = [
  {
    provider: "stripe",
    secret: "whsec_stripe_test_123456789",
    eventType: "invoice.paid",
    deliveryId: "evt_1",
    sign() {
      const body = JSON.stringify({ id: "evt_1", type: "invoice.paid", data: { object: { amount: 4200 } } });
      const t = nowS();
      return {
        headers: {
          "Content-Type": "application/json",
          "Stripe-Signature": `t=${t},v1=${hmacHex("sha256", "whsec_stripe_test_123456789", `${t}.${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "github",
    secret: "It's a Secret to Everybody",
    eventType: "push",
    deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    sign() {
      const body = '{"ref":"refs/heads/main"}';
      return {
        headers: {
          "Content-Type": "application/json",
          "X-GitHub-Event": "push",
          "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
          "X-Hub-Signature-256": `sha256=${hmacHex("sha256", "It's a Secret to Everybody", body)}`,
        },
        body,
      };
    },
  },
  {
    provider: "standard-webhooks",
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    // "-wrong" appended is not base64 (a 422, tested below): another valid key instead.
    wrong: `whsec_${Buffer.from("another-standard-key-000").toString("base64")}`,
    eventType: "user.created",
    deliveryId: "msg_std_1",
    sign() {
      const body = '{"type":"user.created","data":{"id":1}}';
      const ts = String(nowS());
      const key = Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64");
      return {
        headers: {
          "Content-Type": "application/json",
          "webhook-id": "msg_std_1",
          "webhook-timestamp": ts,
          "webhook-signature": `v1,${hmacB64("sha256", key, `msg_std_1.${ts}.${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "svix",
    secret: `whsec_${SVIX_KEY}`,
    // "-wrong" appended is not base64 (a 422, tested below): another valid key instead.
    wrong: `whsec_${Buffer.from("another-svix-key-0000000").toString("base64")}`,
    eventType: "email.sent",
    deliveryId: "msg_svix_1",
    sign() {
      const body = '{"type":"email.sent","data":{"email_id":"e1"}}';
      const ts = String(nowS());
      return {
        headers: {
          "Content-Type": "application/json",
          "svix-id": "msg_svix_1",
          "svix-timestamp": ts,
          "svix-signature": `v1,${hmacB64("sha256", Buffer.from(SVIX_KEY, "base64"), `msg_svix_1.${ts}.${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "slack",
    secret: "8f742231b10e8888abcd99yyyzzz85a5",
    eventType: "/deploy",
    sign() {
      const body = "token=abc&team_id=T1&command=%2Fdeploy&text=now&trigger_id=13345224609.738474920.8088930838d88f008e0";
      const ts = String(nowS());
      return {
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Slack-Request-Timestamp": ts,
          "X-Slack-Signature": `v0=${hmacHex("sha256", "8f742231b10e8888abcd99yyyzzz85a5", `v0:${ts}:${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "shopify",
    secret: "shpss_client_secret_abc",
    eventType: "orders/create",
    deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    sign() {
      const body = '{"id":820982911946154508,"email":"jon@example.com"}';
      return {
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "orders/create",
          "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
          "X-Shopify-Hmac-Sha256": hmacB64("sha256", "shpss_client_secret_abc", body),
        },
        body,
      };
    },
  },
  {
    provider: "twilio",
    secret: "twilio_auth_token_12345",
    eventType: "message.delivered",
    deliveryId: "SM123",
    sign(captureUrl) {
      const params: [string, string][] = [
        ["MessageSid", "SM123"],
        ["MessageStatus", "delivered"],
        ["To", "+15558675310"],
        ["From", "+15017122661"],
      ];
      const body = new URLSearchParams(params).toString();
      const url = `${captureUrl}/twilio/status?account=AC1`;
      const data =
        url +
        [...params]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => k + v)
          .join("");
      return {
        path: "/twilio/status?account=AC1",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Twilio-Signature": hmacB64("sha1", "twilio_auth_token_12345", data),
        },
        body,
      };
    },
  },
  {
    provider: "twilio",
    secret: "twilio_auth_token_12345",
    eventType: null,
    sign(captureUrl) {
      const body = '{"event":"com.twilio.messaging.message.delivered"}';
      const q = `bodySHA256=${createHash("sha256").update(body).digest("hex")}`;
      const url = `${captureUrl}/twilio/json?${q}`;
      return {
        path: `/twilio/json?${q}`,
        headers: { "Content-Type": "application/json", "X-Twilio-Signature": hmacB64("sha1", "twilio_auth_token_12345", url) },
        body,
      };
    },
  },
  {
    provider: "sendgrid",
    secret: sendgridKeys.publicB64,
    eventType: "delivered",
    deliveryId: "sg_1",
    sign() {
      const body = '[{"email":"a@example.com","event":"delivered","sg_event_id":"sg_1","timestamp":1600112492}]\r\n';
      const ts = String(nowS());
      const signature = sign("sha256", Buffer.from(ts + body), sendgridKeys.privateKey).toString("base64");
      return {
        headers: {
          "Content-Type": "application/json",
          "X-Twilio-Email-Event-Webhook-Signature": signature,
          "X-Twilio-Email-Event-Webhook-Timestamp": ts,
        },
        body,
      };
    },
  },
  {
    provider: "mailgun",
    secret: "key-mailgun-signing-0123456789",
    eventType: "delivered",
    deliveryId: "mg_evt_1",
    sign() {
      const timestamp = String(nowS());
      const token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
      const body = JSON.stringify({
        signature: { timestamp, token, signature: hmacHex("sha256", "key-mailgun-signing-0123456789", timestamp + token) },
        "event-data": { event: "delivered", id: "mg_evt_1" },
      });
      return { headers: { "Content-Type": "application/json" }, body };
    },
  },
  {
    provider: "paddle",
    secret: "pdl_ntfset_01secretkey",
    eventType: "transaction.completed",
    deliveryId: "ntf_01",
    sign() {
      const body = '{"event_type":"transaction.completed","notification_id":"ntf_01","data":{"id":"txn_1"}}';
      const ts = String(nowS());
      return {
        headers: {
          "Content-Type": "application/json",
          "Paddle-Signature": `ts=${ts};h1=${hmacHex("sha256", "pdl_ntfset_01secretkey", `${ts}:${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "square",
    secret: "square_signature_key_abc",
    eventType: "payment.updated",
    deliveryId: "sq_evt_1",
    sign(captureUrl) {
      const body = '{"merchant_id":"M1","type":"payment.updated","event_id":"sq_evt_1","data":{"id":"p1"}}';
      const url = `${captureUrl}/square`;
      return {
        path: "/square",
        headers: {
          "Content-Type": "application/json",
          "x-square-hmacsha256-signature": hmacB64("sha256", "square_signature_key_abc", url + body),
        },
        body,
      };
    },
  },
  {
    provider: "zoom",
    secret: "zoom_secret_token_abc",
    eventType: "meeting.started",
    sign() {
      const body = '{"event":"meeting.started","payload":{"object":{"id":"1"}}}';
      const ts = String(nowS());
      return {
        headers: {
          "Content-Type": "application/json",
          "x-zm-request-timestamp": ts,
          "x-zm-signature": `v0=${hmacHex("sha256", "zoom_secret_token_abc", `v0:${ts}:${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "intercom",
    secret: "intercom_client_secret",
    eventType: "conversation.user.created",
    deliveryId: "notif_1",
    sign() {
      const body = '{"type":"notification_event","topic":"conversation.user.created","id":"notif_1"}';
      return {
        headers: { "Content-Type": "application/json", "X-Hub-Signature": `sha1=${hmacHex("sha1", "intercom_client_secret", body)}` },
        body,
      };
    },
  },
  {
    provider: "linear",
    secret: "lin_wh_secret_abc",
    eventType: "Issue",
    deliveryId: "lin-delivery-1",
    sign() {
      const body = JSON.stringify({ action: "create", type: "Issue", webhookTimestamp: Date.now(), data: { id: "i1" } });
      return {
        headers: {
          "Content-Type": "application/json",
          "Linear-Event": "Issue",
          "Linear-Delivery": "lin-delivery-1",
          "Linear-Signature": hmacHex("sha256", "lin_wh_secret_abc", body),
        },
        body,
      };
    },
  },
  {
    provider: "discord",
    secret: discordKeys.publicHex,
    eventType: "PING",
    sign() {
      const body = '{"type":1,"token":"tok","id":"int_1","application_id":"app"}';
      const ts = String(nowS());
      return {
        headers: {
          "Content-Type": "application/json",
          "X-Signature-Timestamp": ts,
          "X-Signature-Ed25519": sign(null, Buffer.from(ts + body), discordKeys.privateKey).toString("hex"),
        },
        body,
      };
    },
  },
  {
    provider: "twitch",
    secret: "twitch_subscription_secret",
    eventType: "channel.follow",
    deliveryId: "twitch-msg-1",
    sign() {
      const body = '{"subscription":{"type":"channel.follow"},"event":{"user_id":"1"}}';
      const ts = new Date().toISOString().replace("Z", "123456Z"); // RFC 3339 with nanoseconds, signed verbatim
      return {
        headers: {
          "Content-Type": "application/json",
          "Twitch-Eventsub-Message-Id": "twitch-msg-1",
          "Twitch-Eventsub-Message-Timestamp": ts,
          "Twitch-Eventsub-Message-Type": "notification",
          "Twitch-Eventsub-Subscription-Type": "channel.follow",
          "Twitch-Eventsub-Message-Signature": `sha256=${hmacHex("sha256", "twitch_subscription_secret", `twitch-msg-1${ts}${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "hubspot",
    secret: "hubspot-client-secret-v3",
    eventType: "contact.creation",
    deliveryId: "1",
    sign(captureUrl) {
      const body = '[{"eventId":1,"subscriptionType":"contact.creation","objectId":123}]';
      const ts = String(Date.now());
      const url = `${captureUrl}/hubspot`;
      return {
        path: "/hubspot",
        headers: {
          "Content-Type": "application/json",
          "X-HubSpot-Request-Timestamp": ts,
          "X-HubSpot-Signature-v3": hmacB64("sha256", "hubspot-client-secret-v3", `POST${url}${body}${ts}`),
        },
        body,
      };
    },
  },
  {
    provider: "typeform",
    secret: "typeform_secret_abc",
    eventType: "form_response",
    deliveryId: "tf_1",
    sign() {
      const body = '{"event_id":"tf_1","event_type":"form_response","form_response":{"form_id":"f"}}\n';
      return {
        headers: { "Content-Type": "application/json", "Typeform-Signature": `sha256=${hmacB64("sha256", "typeform_secret_abc", body)}` },
        body,
      };
    },
  },
  {
    provider: "calendly",
    secret: "calendly_signing_key",
    eventType: "invitee.created",
    sign() {
      const body = '{"event":"invitee.created","payload":{"email":"a@example.com"}}';
      const t = nowS();
      return {
        headers: {
          "Content-Type": "application/json",
          "Calendly-Webhook-Signature": `t=${t},v1=${hmacHex("sha256", "calendly_signing_key", `${t}.${body}`)}`,
        },
        body,
      };
    },
  },
  {
    provider: "gitlab",
    secret: "gitlab-secret-token",
    eventType: "Push Hook",
    sign() {
      return {
        headers: { "Content-Type": "application/json", "X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "gitlab-secret-token" },
        body: '{"object_kind":"push"}',
      };
    },
  },
  {
    provider: "bitbucket",
    secret: "bitbucket_secret",
    eventType: "repo:push",
    deliveryId: "bb-req-1",
    sign() {
      const body = '{"push":{"changes":[]}}';
      return {
        headers: {
          "Content-Type": "application/json",
          "X-Event-Key": "repo:push",
          "X-Request-UUID": "bb-req-1",
          "X-Hub-Signature": `sha256=${hmacHex("sha256", "bitbucket_secret", body)}`,
        },
        body,
      };
    },
  },
  {
    provider: "jira",
    secret: "jira_secret",
    eventType: "jira:issue_created",
    deliveryId: "jira-wh-1",
    sign() {
      const body = '{"webhookEvent":"jira:issue_created","issue":{"key":"HS-1"}}';
      return {
        headers: {
          "Content-Type": "application/json",
          "X-Atlassian-Webhook-Identifier": "jira-wh-1",
          "X-Hub-Signature": `sha256=${hmacHex("sha256", "jira_secret", body)}`,
        },
        body,
      };
    },
  },
];

describe.each(await providers())("signature lab (%s)", (provider) => {
  let server: TestServer;
  let api: Api;
  let workspaceId: string;

  beforeAll(async () => {
    const port = await freePort();
    server = await startServer({ provider, env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
    api = new Api(server.url);
    workspaceId = (await api.signUp(`sig-${provider}@example.test`)).personalWorkspaceId;
  }, 120_000);
  afterAll(() => server?.stop());

  async function endpoint(input: Record<string, unknown> = {}) {
    return api.createEndpoint({ name: "signatures", ...input });
  }

  async function send(ep: { url: string }, s: Signed): Promise<string> {
    const res = await fetch(`${ep.url}${s.path ?? ""}`, { method: s.method ?? "POST", headers: s.headers, body: s.body });
    expect(res.status).toBe(200);
    return ((await res.json()) as { captureId: string }).captureId;
  }

  const verify = (captureId: string, body: Record<string, unknown> = {}) => api.json("POST", `/api/captures/${captureId}/verify`, body);
  const codes = (d: { code: string }[]) => d.map((x) => x.code);

  it("lists every provider for the UI", async () => {
    const res = await fetch(`${server.url}/api/signature-providers`);
    expect(res.status).toBe(200);
    const { providers: list } = (await res.json()) as { providers: { id: string; name: string; secretLabel: string }[] };
    expect(list.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        "stripe",
        "github",
        "standard-webhooks",
        "svix",
        "slack",
        "shopify",
        "twilio",
        "sendgrid",
        "mailgun",
        "paddle",
        "square",
        "zoom",
        "intercom",
        "linear",
        "discord",
        "twitch",
        "hubspot",
        "typeform",
        "calendly",
        "gitlab",
        "bitbucket",
        "jira",
        "generic",
      ]),
    );
  });

  it.each(CASES.map((c, i) => [`${c.provider}#${i}`, c] as const))(
    "%s: signed from the documented algorithm, captured, verified through the API",
    async (_name, c) => {
      const ep = await endpoint();
      const id = await send(ep, c.sign(ep.url));
      const ok = await verify(id, { secret: c.secret });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        provider: c.provider,
        detected: true,
        valid: true,
        signatureMatches: true,
        status: "valid",
        diagnosis: [],
      });
      expect(ok.body.secret).toMatchObject({ source: "one-off", id: null });
      const wrong = await verify(id, {
        secret:
          c.wrong ?? (c.provider === "discord" ? ed25519().publicHex : c.provider === "sendgrid" ? p256().publicB64 : `${c.secret}-wrong`),
      });
      expect(wrong.body).toMatchObject({ provider: c.provider, valid: false, signatureMatches: false, status: "invalid" });
      // Without any secret: the provider is named, the signature unchecked.
      const none = await verify(id);
      expect(none.body).toMatchObject({ provider: c.provider, valid: false, status: "unknown" });
      expect(codes(none.body.reasons)).toContain("missing_secret");
      // List and detail name the sender.
      const list = await api.captures(ep.id);
      expect(list.captures[0].signature).toMatchObject({ provider: c.provider, eventType: c.eventType, status: "unknown" });
      if (c.deliveryId !== undefined) expect(list.captures[0].signature.deliveryId).toBe(c.deliveryId);
      const detail = await api.json("GET", `/api/captures/${id}`);
      expect(detail.body.signature).toMatchObject({ provider: c.provider, eventType: c.eventType });
    },
  );

  it("generic HMAC: algorithm, header, prefix, encoding and {timestamp}.{body} template", async () => {
    const ep = await endpoint();
    const body = '{"event":"thing.happened"}';
    const ts = String(nowS());
    const id = await send(ep, {
      headers: {
        "Content-Type": "application/json",
        "X-Acme-Timestamp": ts,
        "X-Acme-Signature": `sha512=${hmacHex("sha512", "acme-secret", `${ts}.${body}`)}`,
      },
      body,
    });
    const generic = {
      algorithm: "sha512",
      header: "X-Acme-Signature",
      prefix: "sha512=",
      encoding: "hex",
      template: "{timestamp}.{body}",
      timestampHeader: "X-Acme-Timestamp",
    };
    const ok = await verify(id, { provider: "generic", secret: "acme-secret", generic });
    expect(ok.body).toMatchObject({ provider: "generic", valid: true, timestamp: { value: Number(ts), withinTolerance: true } });
    const bad = await verify(id, { provider: "generic", secret: "acme-secret", generic: { ...generic, algorithm: "md5" } });
    expect(codes(bad.body.reasons)).toEqual(["invalid_generic_options"]);
    // A saved generic secret keeps its options and applies to captures no provider claims.
    const saved = await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, {
      provider: "generic",
      label: "Acme",
      secret: "acme-secret",
      generic,
    });
    expect(saved.status).toBe(201);
    expect(saved.body.generic).toMatchObject(generic);
    const auto = await verify(id);
    expect(auto.body).toMatchObject({ provider: "generic", valid: true, secret: { source: "saved", id: saved.body.id, label: "Acme" } });
  });

  it("Stripe with two v1 signatures and Standard Webhooks with a signature list report the one that matched", async () => {
    const ep = await endpoint();
    const body = '{"id":"evt_2","type":"charge.succeeded"}';
    const t = nowS();
    const good = hmacHex("sha256", "whsec_new", `${t}.${body}`);
    const old = hmacHex("sha256", "whsec_old", `${t}.${body}`);
    const stripeId = await send(ep, {
      headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${t},v1=${old},v1=${good}` },
      body,
    });
    const r = await verify(stripeId, { secret: "whsec_new", reveal: true });
    expect(r.body).toMatchObject({ valid: true, matchedSignature: good, received: [old, good], expected: good, revealed: true });
    const r2 = await verify(stripeId, { secret: "whsec_old", reveal: true });
    expect(r2.body).toMatchObject({ valid: true, matchedSignature: old });
    // Not revealed: values are shortened, enough to compare by eye, not to replay.
    const masked = await verify(stripeId, { secret: "whsec_new" });
    expect(masked.body.revealed).toBe(false);
    expect(masked.body.matchedSignature).toBe(`${good.slice(0, 10)}…${good.slice(-4)}`);
    expect(JSON.stringify(masked.body)).not.toContain(good);

    const key = Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64");
    const ts = String(nowS());
    const sbody = '{"type":"invoice.created"}';
    const other = hmacB64("sha256", Buffer.from("another-key-000000000000"), `msg_multi.${ts}.${sbody}`);
    const right = hmacB64("sha256", key, `msg_multi.${ts}.${sbody}`);
    const swId = await send(ep, {
      headers: {
        "Content-Type": "application/json",
        "webhook-id": "msg_multi",
        "webhook-timestamp": ts,
        "webhook-signature": `v1,${other} v1a,ZmFrZQ== v1,${right}`,
      },
      body: sbody,
    });
    const sw = await verify(swId, { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", reveal: true });
    expect(sw.body).toMatchObject({ provider: "standard-webhooks", valid: true, matchedSignature: `v1,${right}` });
    expect(sw.body.received).toHaveLength(3);
  });

  it("a correct signature on an old delivery is stale: signatureMatches true, withinTolerance false", async () => {
    const ep = await endpoint();
    const body = '{"id":"evt_old","type":"invoice.paid"}';
    const t = nowS() - 3600;
    const id = await send(ep, {
      headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${t},v1=${hmacHex("sha256", "whsec_s", `${t}.${body}`)}` },
      body,
    });
    const r = await verify(id, { secret: "whsec_s" });
    expect(r.body).toMatchObject({
      valid: false,
      signatureMatches: true,
      status: "stale",
      timestamp: { value: t, withinTolerance: false, toleranceSeconds: 300 },
    });
    expect(r.body.timestamp.skewSeconds).toBeGreaterThanOrEqual(3600);
    expect(codes(r.body.reasons)).toEqual(["timestamp_outside_tolerance"]);
    // Judged at another reference time (the API's `now`, seconds or ms), it is fresh.
    const then = await verify(id, { secret: "whsec_s", now: t + 10 });
    expect(then.body).toMatchObject({ valid: true, timestamp: { skewSeconds: 10, withinTolerance: true } });
    const wide = await verify(id, { secret: "whsec_s", toleranceSeconds: 7200 });
    expect(wide.body).toMatchObject({ valid: true, timestamp: { toleranceSeconds: 7200 } });
    // The saved secret gives the list the same status.
    await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "stripe", secret: "whsec_s" });
    await waitForChecks(ep.id, { [id]: "stale" });
  });

  async function waitForChecks(endpointId: string, want: Record<string, string>) {
    const deadline = Date.now() + 15_000;
    let last: unknown;
    while (Date.now() < deadline) {
      const { body } = await api.json("GET", `/api/endpoints/${endpointId}/signature-checks`);
      last = body;
      if (!body.pending && Object.entries(want).every(([k, v]) => body.checks[k] === v)) return body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`checks did not settle: ${JSON.stringify(last)}`);
  }

  describe("diagnosis from real captured requests", () => {
    it("body_reserialized: signed compact JSON, sent pretty-printed", async () => {
      const ep = await endpoint();
      const obj = { id: "evt_3", type: "customer.created", data: { object: { name: "Ada" } } };
      const t = nowS();
      const sig = hmacHex("sha256", "whsec_re", `${t}.${JSON.stringify(obj)}`);
      const id = await send(ep, {
        headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${t},v1=${sig}` },
        body: JSON.stringify(obj, null, 2),
      });
      const r = await verify(id, { secret: "whsec_re" });
      expect(r.body).toMatchObject({ valid: false, status: "invalid" });
      expect(r.body.diagnosis[0]).toMatchObject({ code: "body_reserialized", detail: { form: "compact" } });
      expect(r.body.diagnosis[0].message).toMatch(/re-serialised/);
    });

    it("trailing_newline: a newline appended after signing", async () => {
      const ep = await endpoint();
      const body = '{"ref":"refs/heads/dev"}';
      const id = await send(ep, {
        headers: {
          "Content-Type": "application/json",
          "X-GitHub-Event": "push",
          "X-Hub-Signature-256": `sha256=${hmacHex("sha256", "gh", body)}`,
        },
        body: `${body}\r\n`,
      });
      const r = await verify(id, { secret: "gh" });
      expect(r.body.diagnosis[0]).toMatchObject({
        code: "trailing_newline",
        detail: { signedEnding: "nothing", receivedEnding: "\\r\\n" },
      });
    });

    it("secret_encoding: a whsec_ secret used as text instead of base64-decoded, and one saved without its prefix", async () => {
      const ep = await endpoint();
      const body = '{"type":"user.deleted"}';
      const ts = String(nowS());
      const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
      const id = await send(ep, {
        headers: {
          "Content-Type": "application/json",
          "webhook-id": "msg_enc",
          "webhook-timestamp": ts,
          "webhook-signature": `v1,${hmacB64("sha256", secret, `msg_enc.${ts}.${body}`)}`,
        },
        body,
      });
      const r = await verify(id, { secret });
      expect(r.body.diagnosis[0]).toMatchObject({ code: "secret_encoding", detail: { variant: "text", expectedHandling: "whsec-base64" } });

      const sbody = '{"id":"evt_4","type":"invoice.paid"}';
      const t = nowS();
      const sid = await send(ep, {
        headers: {
          "Content-Type": "application/json",
          "Stripe-Signature": `t=${t},v1=${hmacHex("sha256", "whsec_abcdef123456", `${t}.${sbody}`)}`,
        },
        body: sbody,
      });
      const r2 = await verify(sid, { secret: "abcdef123456" });
      expect(r2.body.diagnosis[0]).toMatchObject({ code: "secret_encoding", detail: { variant: "text-with-whsec-prefix" } });
    });

    it("other_secret: the delivery was signed with another saved secret (test vs live)", async () => {
      const ep = await endpoint();
      const test = await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, {
        provider: "stripe",
        label: "Test mode",
        secret: "whsec_test_mode",
      });
      const live = await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, {
        provider: "stripe",
        label: "Live mode",
        secret: "whsec_live_mode",
      });
      const body = '{"id":"evt_5","type":"payout.paid"}';
      const t = nowS();
      const id = await send(ep, {
        headers: {
          "Content-Type": "application/json",
          "Stripe-Signature": `t=${t},v1=${hmacHex("sha256", "whsec_live_mode", `${t}.${body}`)}`,
        },
        body,
      });
      const r = await verify(id, { secretId: test.body.id });
      expect(r.body).toMatchObject({ valid: false, secret: { source: "saved", id: test.body.id, label: "Test mode" } });
      expect(r.body.diagnosis[0]).toMatchObject({ code: "other_secret", detail: { secretId: live.body.id, label: "Live mode" } });
      // A one-off secret is diagnosed against the saved ones too.
      const once = await verify(id, { secret: "whsec_typo" });
      expect(once.body.diagnosis[0]).toMatchObject({ code: "other_secret", detail: { secretId: live.body.id } });
      // Without a secret, every saved one is tried and the matching one reported.
      const all = await verify(id);
      expect(all.body).toMatchObject({
        valid: true,
        status: "valid",
        secretsTried: 2,
        secret: { source: "saved", id: live.body.id, label: "Live mode", fingerprint: live.body.fingerprint },
      });
      expect((await verify(id, { secretId: "sig_nope" })).status).toBe(404);
    });

    it("url_variant (Twilio): the sender signed the https URL, the request arrived over http", async () => {
      const ep = await endpoint();
      const params: [string, string][] = [
        ["CallSid", "CA1"],
        ["CallStatus", "completed"],
        ["Digits", "1234"],
      ];
      const body = new URLSearchParams(params).toString();
      const httpsUrl = `${ep.url.replace(/^http:/, "https:")}/voice`;
      const data =
        httpsUrl +
        params
          .map(([k, v]) => k + v)
          .sort()
          .join("");
      const id = await send(ep, {
        path: "/voice",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": hmacB64("sha1", "tw_token", data) },
        body,
      });
      const r = await verify(id, { secret: "tw_token" });
      expect(r.body).toMatchObject({ provider: "twilio", valid: false, url: `${ep.url}/voice` });
      expect(r.body.diagnosis[0]).toMatchObject({ code: "url_variant", detail: { signedUrl: httpsUrl, captureUrl: `${ep.url}/voice` } });
    });

    it("url_variant: the alias URL is tried as the URL the sender called", async () => {
      const alias = `sig-alias-${provider}`;
      const ep = await endpoint({ alias });
      const aliasUrl = ep.url.replace(ep.token, alias);
      const body = '{"type":"payment.created","event_id":"sq_2"}';
      const sig = hmacB64("sha256", "sq_key", `${aliasUrl}/sq${body}`);
      const res = await fetch(`${aliasUrl}/sq`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "x-square-hmacsha256-signature": sig },
        body,
      });
      const id = ((await res.json()) as { captureId: string }).captureId;
      const r = await verify(id, { secret: "sq_key" });
      expect(r.body).toMatchObject({ provider: "square", valid: true, url: `${aliasUrl}/sq` });
    });

    it("signature_encoding: the right MAC, hex where Shopify sends base64", async () => {
      const ep = await endpoint();
      const body = '{"id":1}';
      const id = await send(ep, {
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "orders/paid",
          "X-Shopify-Hmac-Sha256": hmacHex("sha256", "shp", body),
        },
        body,
      });
      const r = await verify(id, { secret: "shp" });
      expect(codes(r.body.reasons)).toContain("signature_length");
      expect(r.body.diagnosis[0]).toMatchObject({ code: "signature_encoding", detail: { received: "hex", expected: "base64" } });
    });

    it("timestamp_units: milliseconds sent where seconds are expected, and signed in the other unit", async () => {
      const ep = await endpoint();
      const body = "token=t&command=%2Fms";
      const ms = String(Date.now());
      const id = await send(ep, {
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Slack-Request-Timestamp": ms,
          "X-Slack-Signature": `v0=${hmacHex("sha256", "slk", `v0:${ms}:${body}`)}`,
        },
        body,
      });
      const r = await verify(id, { secret: "slk" });
      expect(r.body).toMatchObject({ signatureMatches: true, status: "stale", timestamp: { withinTolerance: false } });
      expect(codes(r.body.diagnosis)).toContain("timestamp_units");

      const sbody = '{"type":"a.b"}';
      const s = String(nowS());
      const id2 = await send(ep, {
        headers: {
          "Content-Type": "application/json",
          "webhook-id": "msg_u",
          "webhook-timestamp": s,
          "webhook-signature": `v1,${hmacB64("sha256", Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64"), `msg_u.${s}000.${sbody}`)}`,
        },
        body: sbody,
      });
      const r2 = await verify(id2, { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
      expect(r2.body.diagnosis[0]).toMatchObject({ code: "timestamp_units", detail: { sentUnit: "s", signedUnit: "ms" } });
    });

    it("content_length_mismatch: the stored body differs from what Content-Length announced (masked at ingest)", async () => {
      const ep = await endpoint({ redactAtIngest: true, redactionRules: [{ kind: "json_path", path: "$.card" }] });
      const body = '{"card":"4242424242424242","type":"charge"}';
      const id = await send(ep, {
        headers: { "Content-Type": "application/json", "X-Acme-Signature": hmacHex("sha256", "acme", body) },
        body,
      });
      const r = await verify(id, {
        provider: "generic",
        secret: "acme",
        generic: { algorithm: "sha256", header: "X-Acme-Signature", encoding: "hex" },
      });
      expect(r.body).toMatchObject({ valid: false, redactedAtIngest: true });
      expect(r.body.diagnosis).toContainEqual(
        expect.objectContaining({ code: "content_length_mismatch", detail: { declared: body.length, stored: expect.any(Number) } }),
      );
    });

    it("proxy_traces: Via and X-Forwarded-* headers on a failing delivery", async () => {
      const ep = await endpoint();
      const body = '{"ref":"x"}';
      const head =
        `POST /in/${ep.token}/gh HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n` +
        `Via: 1.1 ngrok\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n` +
        `X-Hub-Signature-256: sha256=${hmacHex("sha256", "gh", '{"ref": "x"}')}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      const res = await rawRequest(server.port, head, body);
      expect(res.status).toBe(200);
      const id = /"captureId":"([^"]+)"/.exec(res.body.toString())![1]!;
      const r = await verify(id, { secret: "gh" });
      expect(codes(r.body.diagnosis)).toContain("proxy_traces");
      expect(r.body.diagnosis.find((d: { code: string }) => d.code === "proxy_traces").detail.headers).toBe(
        "Via, X-Forwarded-For, X-Forwarded-Proto",
      );
    });
  });

  it("saved secrets are sealed at rest and never returned; a one-off secret is never stored or logged", async () => {
    const ep = await endpoint();
    const secret = "whsec_plaintext_never_leaves_0123";
    const oneOff = "one-off-secret-not-to-be-kept-987";
    const added = await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "stripe", label: "Live", secret });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      id: expect.stringMatching(/^sig_/),
      provider: "stripe",
      label: "Live",
      fingerprint: expect.stringMatching(/^whsec_…[0-9a-f]{8}$/),
      createdAt: expect.any(String),
      generic: null,
    });
    const list = await api.json("GET", `/api/endpoints/${ep.id}/signature-secrets`);
    expect(list.body).toEqual({ secrets: [added.body], canManage: true });

    const body = '{"id":"evt_6","type":"invoice.paid"}';
    const t = nowS();
    const id = await send(ep, {
      headers: { "Content-Type": "application/json", "Stripe-Signature": `t=${t},v1=${hmacHex("sha256", secret, `${t}.${body}`)}` },
      body,
    });
    const r = await verify(id, { reveal: true });
    expect(r.body).toMatchObject({ valid: true, secret: { id: added.body.id, fingerprint: added.body.fingerprint } });
    await verify(id, { secret: oneOff });

    const all = await readSecretRows(server);
    const rows = all.filter((x) => x.endpointId === ep.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const dump = JSON.stringify(all);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain("plaintext_never");
    for (const text of [JSON.stringify(list.body), JSON.stringify(r.body), server.logs.join("")]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(oneOff);
    }
    const auditLog = await api.json("GET", `/api/workspaces/${workspaceId}/audit`);
    const auditText = JSON.stringify(auditLog.body);
    expect(auditText).toContain("signature.secret_add");
    expect(auditText).not.toContain(secret);
    expect(auditText).not.toContain(oneOff);

    expect((await api.request("DELETE", `/api/endpoints/${ep.id}/signature-secrets/${added.body.id}`)).status).toBe(204);
    expect((await api.request("DELETE", `/api/endpoints/${ep.id}/signature-secrets/${added.body.id}`)).status).toBe(404);
    expect(JSON.stringify((await api.json("GET", `/api/workspaces/${workspaceId}/audit`)).body)).toContain("signature.secret_delete");
    expect((await readSecretRows(server)).filter((x) => x.endpointId === ep.id)).toHaveLength(0);
    // Validation.
    expect((await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "nope", secret: "x" })).status).toBe(422);
    expect((await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "generic", secret: "x" })).status).toBe(422);
    expect((await verify(id, { secret: "a", secretId: "b" })).status).toBe(422);
  });

  it("malformed base64/hex secrets are refused with a 422 that says what is wrong, saved or one-off", async () => {
    const ep = await endpoint();
    const key = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const body = '{"type":"user.created"}';
    const ts = String(nowS());
    const id = await send(ep, {
      headers: {
        "Content-Type": "application/json",
        "webhook-id": "msg_bad_1",
        "webhook-timestamp": ts,
        "webhook-signature": `v1,${hmacB64("sha256", Buffer.from(key, "base64"), `msg_bad_1.${ts}.${body}`)}`,
      },
      body,
    });
    expect((await verify(id, { secret: `whsec_${key}` })).body).toMatchObject({ valid: true });
    // One character added: a lenient decoder drops it and verifies the original key.
    const added = await verify(id, { secret: `whsec_${key}x` });
    expect(added.status).toBe(422);
    expect(added.body.error.code).toBe("invalid_request");
    expect(added.body.error.message).toMatch(
      /^secret: the signing secret after its whsec_ prefix is 33 characters long, not a multiple of 4/,
    );
    expect((await verify(id, { provider: "svix", secret: `whsec_${key.slice(0, -2)}-_` })).body.error.message).toMatch(/base64url/);

    const save = (input: Record<string, unknown>) => api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, input);
    for (const [input, message] of [
      [{ provider: "standard-webhooks", secret: `whsec_${key}x` }, /whsec_ prefix is 33 characters long/],
      [{ provider: "svix", secret: `whsec_${key}\n` }, /whitespace/],
      [{ provider: "gitlab", secret: `whsec_${key.slice(0, -1)}` }, /31 characters long/],
      [{ provider: "discord", secret: "ab".repeat(31) }, /32 bytes/],
      [{ provider: "sendgrid", secret: "MFkwEwYHKoZIzj0C!" }, /not base64 at character 17/],
      [
        { provider: "generic", secret: "abc", generic: { algorithm: "sha256", header: "X-Sig", encoding: "hex", secretEncoding: "hex" } },
        /configured as hex\) is 3 hex digits long, an odd number/,
      ],
      [
        {
          provider: "generic",
          secret: "QR==",
          generic: { algorithm: "sha256", header: "X-Sig", encoding: "hex", secretEncoding: "base64" },
        },
        /not canonical base64/,
      ],
    ] as const) {
      const r = await save(input);
      expect(r.status, JSON.stringify(input)).toBe(422);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await api.json("GET", `/api/endpoints/${ep.id}/signature-secrets`)).body.secrets).toEqual([]);
    // The exact secret is saved and verifies; text secrets (GitLab plain tokens, Stripe's whsec_ used as text) are anything.
    expect((await save({ provider: "standard-webhooks", secret: `whsec_${key}` })).status).toBe(201);
    expect((await verify(id)).body).toMatchObject({ valid: true, secret: { source: "saved" } });
    expect((await save({ provider: "gitlab", secret: "plain token, not base64!" })).status).toBe(201);
    expect((await save({ provider: "stripe", secret: "whsec_not-base64!" })).status).toBe(201);
  });

  it("statuses follow secret changes: re-verified in the background, shown in the list", async () => {
    const ep = await endpoint();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = `{"ref":"refs/heads/b${i}"}`;
      ids.push(
        await send(ep, {
          headers: {
            "Content-Type": "application/json",
            "X-GitHub-Event": "push",
            "X-GitHub-Delivery": `d-${i}`,
            "X-Hub-Signature-256": `sha256=${hmacHex("sha256", "gh-right", body)}`,
          },
          body,
        }),
      );
    }
    const plain = await send(ep, { headers: { "Content-Type": "text/plain" }, body: "hello" });
    const statuses = async () =>
      Object.fromEntries(
        (await api.captures(ep.id)).captures.map((c: { id: string; signature: { status?: string } }) => [c.id, c.signature.status]),
      );
    expect(await statuses()).toEqual({ [ids[0]!]: "unknown", [ids[1]!]: "unknown", [ids[2]!]: "unknown", [plain]: "unknown" });

    const wrong = await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, {
      provider: "github",
      label: "old",
      secret: "gh-wrong",
    });
    await waitForChecks(ep.id, { [ids[0]!]: "invalid", [ids[1]!]: "invalid", [ids[2]!]: "invalid", [plain]: "unknown" });
    expect((await statuses())[ids[1]!]).toBe("invalid");

    await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "github", label: "new", secret: "gh-right" });
    await waitForChecks(ep.id, { [ids[0]!]: "valid", [ids[1]!]: "valid", [ids[2]!]: "valid" });
    expect(await statuses()).toMatchObject({ [ids[0]!]: "valid", [ids[1]!]: "valid", [ids[2]!]: "valid", [plain]: "unknown" });
    const detail = await api.json("GET", `/api/captures/${ids[0]}`);
    expect(detail.body.signature).toMatchObject({
      provider: "github",
      providerName: "GitHub",
      eventType: "push",
      deliveryId: "d-0",
      status: "valid",
    });

    // A capture that arrives later is checked when a list shows it.
    const body = '{"ref":"late"}';
    const late = await send(ep, {
      headers: {
        "Content-Type": "application/json",
        "X-GitHub-Event": "push",
        "X-Hub-Signature-256": `sha256=${hmacHex("sha256", "gh-wrong", body)}`,
      },
      body,
    });
    expect((await statuses())[late]).toBe("valid");

    expect((await api.request("DELETE", `/api/endpoints/${ep.id}/signature-secrets/${wrong.body.id}`)).status).toBe(204);
    await waitForChecks(ep.id, { [ids[0]!]: "valid", [late]: "invalid" });
    expect((await statuses())[late]).toBe("invalid");
    expect((await api.json("POST", `/api/endpoints/${ep.id}/signature-checks`)).status).toBe(202);
    await waitForChecks(ep.id, { [ids[2]!]: "valid", [late]: "invalid" });
  });

  it("detection shows no event type or id that redaction masks", async () => {
    const ep = await endpoint({
      redactionRules: [
        { kind: "json_path", path: "$.type" },
        { kind: "header", name: "X-GitHub-Delivery" },
      ],
    });
    const c = CASES.find((x) => x.provider === "stripe")!;
    const id = await send(ep, c.sign(ep.url));
    const gh = CASES.find((x) => x.provider === "github")!;
    const ghId = await send(ep, gh.sign(ep.url));
    const list = (await api.captures(ep.id)).captures;
    expect(list.find((x: { id: string }) => x.id === id).signature).toMatchObject({
      provider: "stripe",
      eventType: null,
      deliveryId: "evt_1",
    });
    expect(list.find((x: { id: string }) => x.id === ghId).signature).toMatchObject({
      provider: "github",
      eventType: "push",
      deliveryId: null,
    });
    expect((await api.json("GET", `/api/captures/${id}`)).body.signature).toMatchObject({ provider: "stripe", eventType: null });
    // Revealed (member, audited), the detail shows them.
    expect((await api.json("GET", `/api/captures/${id}?reveal=1`)).body.signature).toMatchObject({
      provider: "stripe",
      eventType: "invoice.paid",
    });
  });

  it("live events carry the detected sender", async () => {
    const ep = await endpoint();
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/endpoints/${ep.id}/stream`, { headers: { cookie: api.cookie }, signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("event: ready")) text += new TextDecoder().decode((await reader.read()).value);
    const c = CASES.find((x) => x.provider === "stripe")!;
    await send(ep, c.sign(ep.url));
    while (!text.includes("event: capture")) text += new TextDecoder().decode((await reader.read()).value);
    while (!/event: capture\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    const data = JSON.parse(/event: capture\ndata: (.*)\n/.exec(text)![1]!);
    // No secret saved for the endpoint: nothing to verify against.
    expect(data.signature).toEqual({
      provider: "stripe",
      providerName: "Stripe",
      eventType: "invoice.paid",
      deliveryId: "evt_1",
      status: "unknown",
    });
  });

  it("live events are verified against saved secrets as they arrive, and follow a secret change", async () => {
    const ep = await endpoint();
    await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "github", label: "current", secret: "gh-live" });
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/endpoints/${ep.id}/stream`, { headers: { cookie: api.cookie }, signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = "";
    const events: { id: string; signature?: { status?: string } }[] = [];
    const nextEvent = async () => {
      for (;;) {
        const m = /event: capture\ndata: (.*)\n\n/.exec(text);
        if (m) {
          text = text.slice(m.index + m[0].length);
          const e = JSON.parse(m[1]!);
          events.push(e);
          return e as { id: string; signature?: { provider: string; status?: string } };
        }
        text += new TextDecoder().decode((await reader.read()).value);
      }
    };
    while (!text.includes("event: ready")) text += new TextDecoder().decode((await reader.read()).value);
    const push = (secret: string, ref: string) => {
      const body = `{"ref":"${ref}"}`;
      return send(ep, {
        headers: {
          "Content-Type": "application/json",
          "X-GitHub-Event": "push",
          "X-Hub-Signature-256": `sha256=${hmacHex("sha256", secret, body)}`,
        },
        body,
      });
    };
    const good = await push("gh-live", "a");
    expect(await nextEvent()).toMatchObject({ id: good, signature: { provider: "github", status: "valid" } });
    const bad = await push("gh-other", "b");
    expect(await nextEvent()).toMatchObject({ id: bad, signature: { provider: "github", status: "invalid" } });
    const plain = await send(ep, { headers: { "Content-Type": "text/plain" }, body: "hello" });
    expect((await nextEvent()).id).toBe(plain);

    // The secret changes while the stream is open: the next capture is verified with the new one.
    await api.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "github", label: "rotated", secret: "gh-other" });
    let after: { id: string; signature?: { status?: string } } | null = null;
    for (let i = 0; i < 20 && after?.signature?.status !== "valid"; i++) {
      const id = await push("gh-other", `c${i}`);
      after = await nextEvent();
      expect(after.id).toBe(id);
      expect(after.signature?.status === undefined || after.signature.status === "valid").toBe(true);
    }
    expect(after?.signature?.status).toBe("valid");
    ctrl.abort();
    // The list agrees with what the live rows said.
    const listed = Object.fromEntries(
      (await api.captures(ep.id)).captures.map((c: { id: string; signature: { status?: string } }) => [c.id, c.signature.status]),
    );
    expect(listed[good]).toBe("valid");
    expect(listed[after!.id]).toBe("valid");
  });
});

async function readSecretRows(
  server: TestServer,
): Promise<{ endpointId: string; sealed: string; fingerprint: string; label: string; options: string }[]> {
  const sql = 'SELECT "endpointId", "provider", "label", "sealed", "fingerprint", "options", "createdBy" FROM "SignatureSecret"';
  if (server.provider === "sqlite") {
    const file = server.databaseUrl ? server.databaseUrl.replace(/^file:/, "") : path.join(server.dataDir, "hookscope.db");
    const sqlite = new Database(file, { readonly: true });
    try {
      return sqlite.prepare(sql).all() as never;
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
