import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { HeaderList, VerifyInput, VerifyResult } from "@/lib/signatures/types";
import { verifyCalendly } from "@/lib/signatures/providers/calendly";
import { verifyGitlabToken } from "@/lib/signatures/providers/gitlab";
import { verifyBitbucket } from "@/lib/signatures/providers/bitbucket";
import { verifyJira } from "@/lib/signatures/providers/jira";
import { verifyHubSignatureSha256 } from "@/lib/signatures/schemes/hub-sha256";
import { verifyHubspotV2, verifyHubspotV3 } from "@/lib/signatures/providers/hubspot";
import { verifyIntercom } from "@/lib/signatures/providers/intercom";
import { verifyLinear } from "@/lib/signatures/providers/linear";
import { verifyMailgun } from "@/lib/signatures/providers/mailgun";
import { verifyTwitch } from "@/lib/signatures/providers/twitch";
import { verifyTypeform } from "@/lib/signatures/providers/typeform";
import { verifyZoom } from "@/lib/signatures/providers/zoom";

// No official vectors exist for these providers (see the signatures reference, §1.3): every signature below is
// built here with node:crypto straight from the documented algorithm, never by calling the code under test.
const T = 1_700_000_000; // 2023-11-14T22:13:20Z
const T_MS = T * 1000;
const SECRET = "s3cr3t_for_tests_0123456789";
const WRONG = "s3cr3t_for_tests_9876543210";
const URL_ = "https://hooks.example.test/h/abc123?x=1";
const TWITCH_ID = "befa7b53-d79d-478f-86b9-120f112b044e";
const TWITCH_TS = "2023-11-14T22:13:20.123456789Z";

const hmacHex = (alg: "sha1" | "sha256", key: string, data: string) => createHmac(alg, key).update(data).digest("hex");
const hmacB64 = (key: string, data: string) => createHmac("sha256", key).update(data).digest("base64");

const JSON_BODY = '{"id":"evt_1","type":"thing.created","data":{"name":"Zoë"}}\n';
const LINEAR_BODY = `{"action":"create","type":"Issue","data":{"id":"iss_1"},"webhookTimestamp":${T_MS}}`;
const mailgunBody = (token: string, sig: string) =>
  JSON.stringify({ signature: { timestamp: String(T), token, signature: sig }, "event-data": { event: "delivered", id: "ev_1" } });
const MG_TOKEN = "a8ce0edb2dd8301dce9bb9a8b5b7d4d1a6e1f0e2c3b4a5968778695a4b3c2d1e";

interface Built {
  body: string;
  headers: HeaderList;
}

interface Case {
  name: string;
  provider: string;
  verify: (input: VerifyInput & { method?: string }) => VerifyResult;
  /** Signs `body` with `key` per the documented scheme and returns the request. */
  build: (key: string) => Built;
  /** Changes one byte of the signed content in the body. */
  mutate: (body: string) => string;
  now: number;
  /** For timestamped schemes: a `now` (and optional tolerance) that puts the delivery outside the window. */
  stale?: { now: number; toleranceSeconds?: number };
  extra?: Partial<VerifyInput> & { method?: string };
}

const flipFirst = (needle: string, repl: string) => (body: string) => {
  expect(body).toContain(needle);
  return body.replace(needle, repl);
};

const cases: Case[] = [
  {
    name: "Calendly",
    provider: "calendly",
    verify: verifyCalendly,
    build: (k) => ({
      body: JSON_BODY,
      headers: [["Calendly-Webhook-Signature", `t=${T},v1=${hmacHex("sha256", k, `${T}.${JSON_BODY}`)}`]],
    }),
    mutate: flipFirst("evt_1", "evt_2"),
    now: (T + 60) * 1000,
    stale: { now: (T + 181) * 1000 },
  },
  {
    name: "Zoom",
    provider: "zoom",
    verify: verifyZoom,
    build: (k) => ({
      body: JSON_BODY,
      headers: [
        ["x-zm-request-timestamp", String(T)],
        ["x-zm-signature", `v0=${hmacHex("sha256", k, `v0:${T}:${JSON_BODY}`)}`],
      ],
    }),
    mutate: flipFirst("evt_1", "evt_2"),
    now: (T + 5) * 1000,
    stale: { now: (T + 301) * 1000, toleranceSeconds: 300 },
  },
  {
    name: "Intercom",
    provider: "intercom",
    verify: verifyIntercom,
    build: (k) => ({ body: JSON_BODY, headers: [["X-Hub-Signature", `sha1=${hmacHex("sha1", k, JSON_BODY)}`]] }),
    mutate: flipFirst("Zoë", "Zoe"),
    now: T_MS,
  },
  {
    name: "Typeform",
    provider: "typeform",
    verify: verifyTypeform,
    build: (k) => ({ body: JSON_BODY, headers: [["Typeform-Signature", `sha256=${hmacB64(k, JSON_BODY)}`]] }),
    mutate: flipFirst("thing", "thinG"),
    now: T_MS,
  },
  {
    name: "Linear",
    provider: "linear",
    verify: verifyLinear,
    build: (k) => ({ body: LINEAR_BODY, headers: [["Linear-Signature", hmacHex("sha256", k, LINEAR_BODY)]] }),
    mutate: flipFirst("iss_1", "iss_2"),
    now: T_MS + 20_000,
    stale: { now: T_MS + 61_000 },
  },
  {
    name: "Twitch EventSub",
    provider: "twitch",
    verify: verifyTwitch,
    build: (k) => ({
      body: JSON_BODY,
      headers: [
        ["Twitch-Eventsub-Message-Id", TWITCH_ID],
        ["Twitch-Eventsub-Message-Timestamp", TWITCH_TS],
        ["Twitch-Eventsub-Message-Signature", `sha256=${hmacHex("sha256", k, TWITCH_ID + TWITCH_TS + JSON_BODY)}`],
      ],
    }),
    mutate: flipFirst("evt_1", "evt_2"),
    now: T_MS + 120_000,
    stale: { now: T_MS + 601_000 },
  },
  {
    name: "Mailgun",
    provider: "mailgun",
    verify: verifyMailgun,
    build: (k) => ({
      body: mailgunBody(MG_TOKEN, hmacHex("sha256", k, `${T}${MG_TOKEN}`)),
      headers: [["Content-Type", "application/json"]],
    }),
    // Mailgun signs timestamp + token (both in the body): change one byte of the token.
    mutate: flipFirst(MG_TOKEN, `b${MG_TOKEN.slice(1)}`),
    now: T_MS + 10_000,
    stale: { now: T_MS + 3_601_000, toleranceSeconds: 3600 },
  },
  {
    name: "Bitbucket",
    provider: "bitbucket",
    verify: verifyBitbucket,
    build: (k) => ({ body: JSON_BODY, headers: [["X-Hub-Signature", `sha256=${hmacHex("sha256", k, JSON_BODY)}`]] }),
    mutate: flipFirst("\n", " "),
    now: T_MS,
  },
  {
    name: "Jira",
    provider: "jira",
    verify: verifyJira,
    build: (k) => ({ body: JSON_BODY, headers: [["X-Hub-Signature", `sha256=${hmacHex("sha256", k, JSON_BODY)}`]] }),
    mutate: flipFirst("evt_1", "evt_2"),
    now: T_MS,
  },
  {
    name: "HubSpot v2",
    provider: "hubspot",
    verify: verifyHubspotV2,
    build: (k) => ({
      body: JSON_BODY,
      headers: [
        ["X-HubSpot-Signature-Version", "v2"],
        ["X-HubSpot-Signature", createHash("sha256").update(`${k}POST${URL_}${JSON_BODY}`).digest("hex")],
      ],
    }),
    mutate: flipFirst("evt_1", "evt_2"),
    now: T_MS,
    extra: { url: URL_, method: "POST" },
  },
  {
    name: "HubSpot v3",
    provider: "hubspot",
    verify: verifyHubspotV3,
    build: (k) => ({
      body: JSON_BODY,
      headers: [
        ["X-HubSpot-Request-Timestamp", String(T_MS)],
        ["X-HubSpot-Signature-v3", hmacB64(k, `POST${URL_}${JSON_BODY}${String(T_MS)}`)],
      ],
    }),
    mutate: flipFirst("evt_1", "evt_2"),
    now: T_MS + 30_000,
    stale: { now: T_MS + 301_000 },
    extra: { url: URL_, method: "POST" },
  },
];

const run = (c: Case, built: Built, opts: { body?: string; secret?: string; now?: number; toleranceSeconds?: number } = {}) =>
  c.verify({
    body: new TextEncoder().encode(opts.body ?? built.body),
    headers: built.headers,
    secret: opts.secret ?? SECRET,
    now: opts.now ?? c.now,
    ...c.extra,
    ...(opts.toleranceSeconds !== undefined ? { toleranceSeconds: opts.toleranceSeconds } : {}),
  });

describe.each(cases)("$name", (c) => {
  const built = c.build(SECRET);

  it("verifies a correctly signed request", () => {
    const r = run(c, built);
    expect(r).toMatchObject({ provider: c.provider, signatureMatches: true, valid: true, reasons: [] });
    expect(r.matchedSignature).not.toBeNull();
    expect(r.received).toHaveLength(1);
    expect(r.expected).toBe(r.received[0]);
  });

  it("one changed body byte fails with no_match", () => {
    const r = run(c, built, { body: c.mutate(built.body) });
    expect(r.signatureMatches).toBe(false);
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(["no_match"]);
  });

  it("a wrong secret fails with no_match", () => {
    const r = run(c, built, { secret: WRONG });
    expect(r.signatureMatches).toBe(false);
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toEqual(["no_match"]);
  });

  it("a request signed with another secret fails", () => {
    expect(run(c, c.build(WRONG)).signatureMatches).toBe(false);
  });

  it("a request without the signature fails without a match", () => {
    const r = c.verify({
      body: new TextEncoder().encode('{"x":1}'),
      headers: [["Content-Type", "application/json"]],
      secret: SECRET,
      now: c.now,
      ...c.extra,
    });
    expect(r.signatureMatches).toBe(false);
    expect(r.valid).toBe(false);
    expect(r.reasons.map((x) => x.code)).toContain("missing_header");
  });

  if (c.stale) {
    const stale = c.stale;
    it("out-of-window timestamp: signature matches, withinTolerance false, valid false", () => {
      const r = run(c, built, {
        now: stale.now,
        ...(stale.toleranceSeconds !== undefined ? { toleranceSeconds: stale.toleranceSeconds } : {}),
      });
      expect(r.signatureMatches).toBe(true);
      expect(r.timestamp.withinTolerance).toBe(false);
      expect(r.valid).toBe(false);
      expect(r.reasons.map((x) => x.code)).toEqual(["timestamp_outside_tolerance"]);
    });
  }
});

describe("scheme specifics", () => {
  const body = new TextEncoder().encode(JSON_BODY);

  it("Calendly: window is past-only and the t= value is signed", () => {
    const sig = hmacHex("sha256", SECRET, `${T}.${JSON_BODY}`);
    const future = verifyCalendly({
      body,
      headers: [["Calendly-Webhook-Signature", `t=${T},v1=${sig}`]],
      secret: SECRET,
      now: (T - 3600) * 1000,
    });
    expect(future.valid).toBe(true);
    const ok = verifyCalendly({
      body,
      headers: [["Calendly-Webhook-Signature", `t=${T},v1=${sig}`]],
      secret: SECRET,
      now: (T + 180) * 1000,
    });
    expect(ok.timestamp).toEqual({ value: T, skewSeconds: 180, withinTolerance: true });
    const moved = verifyCalendly({
      body,
      headers: [["Calendly-Webhook-Signature", `t=${T + 1},v1=${sig}`]],
      secret: SECRET,
      now: T * 1000,
    });
    expect(moved.signatureMatches).toBe(false);
  });

  it("Zoom: without toleranceSeconds the timestamp is not judged (no window in the official sample)", () => {
    const sig = `v0=${hmacHex("sha256", SECRET, `v0:${T}:${JSON_BODY}`)}`;
    const headers: HeaderList = [
      ["x-zm-request-timestamp", String(T)],
      ["x-zm-signature", sig],
    ];
    const r = verifyZoom({ body, headers, secret: SECRET, now: (T + 86_400) * 1000 });
    expect(r.valid).toBe(true);
    expect(r.timestamp).toEqual({ value: T, skewSeconds: 86_400, withinTolerance: null });
    // the timestamp header is part of the signed content
    expect(
      verifyZoom({
        body,
        headers: [
          ["x-zm-request-timestamp", String(T + 1)],
          ["x-zm-signature", sig],
        ],
        secret: SECRET,
        now: T * 1000,
      }).signatureMatches,
    ).toBe(false);
  });

  it("Intercom: a sha256 signature (GitHub-style) does not verify; X-Hub-Signature is SHA-1 here", () => {
    const r = verifyIntercom({
      body,
      headers: [["X-Hub-Signature", `sha256=${hmacHex("sha256", SECRET, JSON_BODY)}`]],
      secret: SECRET,
      now: T_MS,
    });
    expect(r.reasons.map((x) => x.code)).toEqual(["malformed_header"]);
  });

  it("Typeform: a hex digest instead of base64 reports signature_length", () => {
    const r = verifyTypeform({
      body,
      headers: [["Typeform-Signature", `sha256=${hmacHex("sha256", SECRET, JSON_BODY)}`]],
      secret: SECRET,
      now: T_MS,
    });
    expect(r.reasons.map((x) => x.code)).toEqual(["signature_length", "no_match"]);
  });

  it("Linear: the window applies both ways at ms precision; no webhookTimestamp → timestamp not judged", () => {
    const raw = new TextEncoder().encode(LINEAR_BODY);
    const headers: HeaderList = [["Linear-Signature", hmacHex("sha256", SECRET, LINEAR_BODY)]];
    expect(verifyLinear({ body: raw, headers, secret: SECRET, now: T_MS + 60_000 }).timestamp).toEqual({
      value: T,
      skewSeconds: 60,
      withinTolerance: true,
    });
    expect(verifyLinear({ body: raw, headers, secret: SECRET, now: T_MS - 61_000 }).timestamp.withinTolerance).toBe(false);
    const noTs = verifyLinear({ body, headers: [["Linear-Signature", hmacHex("sha256", SECRET, JSON_BODY)]], secret: SECRET, now: T_MS });
    expect(noTs.valid).toBe(true);
    expect(noTs.timestamp).toEqual({ value: null, skewSeconds: null, withinTolerance: null });
  });

  it("Twitch: the RFC 3339 text is signed verbatim (a re-formatted timestamp fails)", () => {
    const sig = `sha256=${hmacHex("sha256", SECRET, TWITCH_ID + TWITCH_TS + JSON_BODY)}`;
    const headers = (ts: string): HeaderList => [
      ["Twitch-Eventsub-Message-Id", TWITCH_ID],
      ["Twitch-Eventsub-Message-Timestamp", ts],
      ["Twitch-Eventsub-Message-Signature", sig],
    ];
    const ok = verifyTwitch({ body, headers: headers(TWITCH_TS), secret: SECRET, now: T_MS + 600_000 });
    expect(ok.valid).toBe(true);
    expect(ok.timestamp.withinTolerance).toBe(true);
    expect(ok.timestamp.value).toBeCloseTo(T + 0.123, 3);
    expect(verifyTwitch({ body, headers: headers("2023-11-14T22:13:20.123Z"), secret: SECRET, now: T_MS }).signatureMatches).toBe(false);
    expect(verifyTwitch({ body, headers: headers("yesterday"), secret: SECRET, now: T_MS }).reasons.map((x) => x.code)).toEqual([
      "malformed_header",
    ]);
  });

  it("Mailgun: the event data is not signed; the timestamp is judged only when toleranceSeconds is passed; legacy form bodies work", () => {
    const sig = hmacHex("sha256", SECRET, `${T}${MG_TOKEN}`);
    const changedEvent = mailgunBody(MG_TOKEN, sig).replace("delivered", "failed");
    const r = verifyMailgun({ body: new TextEncoder().encode(changedEvent), headers: [], secret: SECRET, now: T_MS + 86_400_000 });
    expect(r.valid).toBe(true);
    expect(r.timestamp.withinTolerance).toBeNull();
    const form = new URLSearchParams({ timestamp: String(T), token: MG_TOKEN, signature: sig, event: "delivered" }).toString();
    expect(verifyMailgun({ body: new TextEncoder().encode(form), headers: [], secret: SECRET, now: T_MS }).valid).toBe(true);
    const missing = JSON.stringify({ signature: { timestamp: String(T), signature: sig } });
    expect(
      verifyMailgun({ body: new TextEncoder().encode(missing), headers: [], secret: SECRET, now: T_MS }).reasons.map((x) => x.code),
    ).toEqual(["missing_header"]);
  });

  it("verifyHubSignatureSha256 takes the provider name; a sha1= header is malformed for Bitbucket/Jira", () => {
    const headers: HeaderList = [["X-Hub-Signature", `sha256=${hmacHex("sha256", SECRET, JSON_BODY)}`]];
    expect(verifyHubSignatureSha256({ body, headers, secret: SECRET, now: T_MS }, "bitbucket-dc")).toMatchObject({
      provider: "bitbucket-dc",
      valid: true,
    });
    const sha1: HeaderList = [["X-Hub-Signature", `sha1=${hmacHex("sha1", SECRET, JSON_BODY)}`]];
    expect(verifyBitbucket({ body, headers: sha1, secret: SECRET, now: T_MS }).reasons.map((x) => x.code)).toEqual(["malformed_header"]);
  });

  describe("GitLab token", () => {
    const gl = (token: string | null, secret = SECRET) =>
      verifyGitlabToken({ body, headers: token === null ? [] : [["X-Gitlab-Token", token]], secret, now: T_MS });

    it.each([
      ["equal token", SECRET, SECRET, true, []],
      ["wrong secret", SECRET, WRONG, false, ["no_match"]],
      ["different length", "short", SECRET, false, ["no_match"]],
      ["case differs", SECRET.toUpperCase(), SECRET, false, ["no_match"]],
    ] as const)("%s", (_l, token, secret, ok, codes) => {
      const r = gl(token, secret);
      expect(r.signatureMatches).toBe(ok);
      expect(r.valid).toBe(ok);
      expect(r.reasons.map((x) => x.code)).toEqual(codes);
      expect(r.expected).toBeNull(); // the secret is never echoed
      expect(r.timestamp.withinTolerance).toBeNull();
    });

    it("the body is not covered by the token", () => {
      expect(
        verifyGitlabToken({ body: new TextEncoder().encode("anything"), headers: [["X-Gitlab-Token", SECRET]], secret: SECRET, now: T_MS })
          .valid,
      ).toBe(true);
    });

    it("missing header", () => {
      expect(gl(null).reasons.map((x) => x.code)).toEqual(["missing_header"]);
    });
  });
});
