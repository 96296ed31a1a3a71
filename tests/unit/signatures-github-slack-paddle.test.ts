import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyGithub } from "@/lib/signatures/providers/github";
import { verifyPaddle } from "@/lib/signatures/providers/paddle";
import { verifySlack } from "@/lib/signatures/providers/slack";

const enc = (s: string) => new TextEncoder().encode(s);
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe("verifyGithub", () => {
  const secret = "It's a Secret to Everybody";
  const body = "Hello, World!";
  const official = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  const run = (headers: [string, string][], b = body, s = secret) => verifyGithub({ body: enc(b), headers, secret: s, now: Date.now() });

  it("official docs vector verifies", () => {
    const r = run([["X-Hub-Signature-256", official]]);
    expect(r).toMatchObject({
      provider: "github",
      valid: true,
      signatureMatches: true,
      matchedSignature: official,
      expected: official,
      reasons: [],
    });
    expect(r.timestamp).toEqual({ value: null, skewSeconds: null, withinTolerance: null });
  });

  it("legacy X-Hub-Signature sha1= verifies when the sha256 header is absent", () => {
    const sha1 = `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
    expect(run([["x-hub-signature", sha1]]).valid).toBe(true);
  });

  it("prefers X-Hub-Signature-256 over the legacy header", () => {
    const r = run([
      ["X-Hub-Signature", "sha1=0000"],
      ["X-Hub-Signature-256", official],
    ]);
    expect(r.valid).toBe(true);
    expect(r.matchedSignature).toBe(official);
  });

  it("a changed body byte fails with no_match", () => {
    expect(codes(run([["X-Hub-Signature-256", official]], "Hello, World?"))).toEqual(["no_match"]);
  });

  it("a wrong secret fails", () => {
    const r = run([["X-Hub-Signature-256", official]], body, "It's a secret to everybody");
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(["no_match"]);
  });

  it.each([
    ["no signature header", [], "missing_header"],
    ["wrong prefix", [["X-Hub-Signature-256", official.replace("sha256=", "sha1=")]], "malformed_header"],
    ["truncated hex", [["X-Hub-Signature-256", official.slice(0, -2)]], "signature_length"],
  ] as [string, [string, string][], string][])("%s → %s", (_l, headers, code) => {
    const r = run(headers);
    expect(r.valid).toBe(false);
    expect(codes(r)[0]).toBe(code);
  });
});

describe("verifySlack", () => {
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const ts = 1531420618;
  const body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  const official = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  const run = (o: { sig?: string; b?: string; s?: string; now?: number; headers?: [string, string][] } = {}) =>
    verifySlack({
      body: enc(o.b ?? body),
      headers: o.headers ?? [
        ["X-Slack-Request-Timestamp", String(ts)],
        ["X-Slack-Signature", o.sig ?? official],
      ],
      secret: o.s ?? secret,
      now: o.now ?? ts * 1000 + 60_000,
    });

  it("official docs vector verifies", () => {
    const r = run();
    expect(r).toMatchObject({ provider: "slack", valid: true, matchedSignature: official, expected: official, reasons: [] });
    expect(r.timestamp).toEqual({ value: ts, skewSeconds: 60, withinTolerance: true });
  });

  it("a changed body byte fails with no_match (form body must not be re-encoded)", () => {
    expect(codes(run({ b: body.replace("%2Fwebhook-collect", "/webhook-collect") }))).toEqual(["no_match"]);
    expect(codes(run({ b: body.replace("foobar", "foobaz") }))).toEqual(["no_match"]);
  });

  it("a wrong secret fails", () => {
    expect(run({ s: secret.toUpperCase() }).valid).toBe(false);
  });

  it("an old request: signature matches, timestamp outside the 5 min window", () => {
    const r = run({ now: (ts + 301) * 1000 });
    expect(r.signatureMatches).toBe(true);
    expect(r.timestamp.withinTolerance).toBe(false);
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(["timestamp_outside_tolerance"]);
  });

  it.each([
    ["missing timestamp", [["X-Slack-Signature", official]], "missing_header"],
    ["missing signature", [["X-Slack-Request-Timestamp", String(ts)]], "missing_header"],
    [
      "no v0= prefix",
      [
        ["X-Slack-Request-Timestamp", String(ts)],
        ["X-Slack-Signature", official.slice(3)],
      ],
      "malformed_header",
    ],
  ] as [string, [string, string][], string][])("%s → %s", (_l, headers, code) => {
    expect(codes(run({ headers }))).toEqual([code]);
  });
});

describe("verifyPaddle", () => {
  const secret = "VALID_SECRET";
  const ts = 1698796800;
  const vectors = [
    { name: "#1", body: '{"data": ["1", "2"]}', h1: "a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9" },
    { name: "#2", body: '{"data": "value"}', h1: "28981e941fae76e53db32f3d2a83cb69db41476595e84e1970a1b5d98f62b261" },
  ];
  const run = (header: string, b: string, o: { s?: string; now?: number } = {}) =>
    verifyPaddle({ body: enc(b), headers: [["Paddle-Signature", header]], secret: o.s ?? secret, now: o.now ?? ts * 1000 + 3_000 });

  it.each(vectors)("official SDK vector $name verifies with now within 5 s", (v) => {
    const r = run(`ts=${ts};h1=${v.h1}`, v.body);
    expect(r).toMatchObject({ provider: "paddle", valid: true, matchedSignature: v.h1, expected: v.h1, reasons: [] });
    expect(r.timestamp).toEqual({ value: ts, skewSeconds: 3, withinTolerance: true });
  });

  it("the same body with extra spaces fails with no_match", () => {
    const v = vectors[0]!;
    expect(codes(run(`ts=${ts};h1=${v.h1}`, '{"data":  ["1", "2"]}'))).toEqual(["no_match"]);
    expect(codes(run(`ts=${ts};h1=${v.h1}`, '{"data": ["1", "2"]} '))).toEqual(["no_match"]);
  });

  it("a wrong secret fails", () => {
    const v = vectors[1]!;
    expect(run(`ts=${ts};h1=${v.h1}`, v.body, { s: "INVALID_SECRET" }).valid).toBe(false);
  });

  it("10 s later: signature matches, timestamp outside the 5 s window", () => {
    const v = vectors[0]!;
    const r = run(`ts=${ts};h1=${v.h1}`, v.body, { now: (ts + 10) * 1000 });
    expect(r.signatureMatches).toBe(true);
    expect(r.timestamp).toEqual({ value: ts, skewSeconds: 10, withinTolerance: false });
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(["timestamp_outside_tolerance"]);
  });

  it("evaluates every h1 and reports the one that matched", () => {
    const v = vectors[1]!;
    const other = createHmac("sha256", "OLD_SECRET").update(`${ts}:${v.body}`).digest("hex");
    const r = run(`ts=${ts};h1=${other};h1=${v.h1}`, v.body);
    expect(r.valid).toBe(true);
    expect(r.received).toEqual([other, v.h1]);
    expect(r.matchedSignature).toBe(v.h1);
  });

  it.each([
    ["no ts", `h1=${vectors[0]!.h1}`, "malformed_header"],
    ["no h1", `ts=${ts}`, "malformed_header"],
  ])("%s → %s", (_l, header, code) => {
    expect(codes(run(header, vectors[0]!.body))).toEqual([code]);
  });

  it("missing header → missing_header", () => {
    const r = verifyPaddle({ body: enc("{}"), headers: [], secret, now: ts * 1000 });
    expect(codes(r)).toEqual(["missing_header"]);
  });
});
