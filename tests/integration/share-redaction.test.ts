// Share links (valid, expired, revoked, scope, live stream, brute-force limit, hashed at rest) and
// redaction (headers, JSON nested and in arrays, form fields, regexes, query, compressed bodies,
// reveal audit, redact at ingest), through the real server.
import Database from "better-sqlite3";
import http from "node:http";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

const SECRET = "SECRET123-do-not-show";

async function queryDb(server: TestServer, sql: string): Promise<Record<string, unknown>[]> {
  if (server.provider === "sqlite") {
    const db = new Database(path.join(server.dataDir, "hookscope.db"), { readonly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
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

async function send(
  server: TestServer,
  token: string,
  init: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string>; path?: string },
) {
  const res = await fetch(`${server.url}/in/${token}${init.path ?? ""}`, { method: "POST", headers: init.headers, body: init.body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { captureId: string }).captureId;
}

const anonymous = (server: TestServer) => new Api(server.url);
const sharePath = (url: string) => new URL(url).pathname;
const sha256 = (b: string | Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The first `count` capture events of an SSE stream opened at `url`, after `trigger` runs once the stream is ready. */
async function liveEvents(
  url: string,
  headers: Record<string, string>,
  trigger: () => Promise<unknown>,
  count = 1,
): Promise<Record<string, unknown>[]> {
  let buf = "";
  let ready: () => void = () => {};
  const isReady = new Promise<void>((r) => (ready = r));
  const req = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (d: string) => {
      buf += d;
      if (buf.includes("event: ready")) ready();
    });
  });
  const events = () => [...buf.matchAll(/event: capture\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  try {
    await isReady;
    await trigger();
    for (let i = 0; i < 100 && events().length < count; i++) await new Promise((r) => setTimeout(r, 100));
    if (events().length < count) throw new Error(`too few capture events: ${buf}`);
    return events();
  } finally {
    req.destroy();
  }
}

describe.each(await providers())("share links and redaction (%s)", (provider) => {
  let server: TestServer;
  let member: Api;
  let viewer: Api;
  let ws: string;
  let endpoint: { id: string; token: string };
  let captureId: string;

  beforeAll(async () => {
    server = await startServer({ provider, env: { SHARE_LINK_TTL: "3s", PUBLIC_URL: "http://127.0.0.1:1" } });
    member = new Api(server.url);
    viewer = new Api(server.url);
    await member.signUp(`member-${provider}@example.test`);
    await viewer.signUp(`viewer-${provider}@example.test`);
    ws = (await member.json("POST", "/api/workspaces", { name: "Support" })).body.id;
    const inv = await member.json("POST", `/api/workspaces/${ws}/invites`, { role: "viewer" });
    await viewer.json("POST", "/api/invites/accept", { token: inv.body.token });
    endpoint = await member.createEndpoint({ name: "payments", workspaceId: ws });
    captureId = await send(server, endpoint.token, {
      path: "/hook?token=qtok-999&page=2",
      headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json", "x-custom": "visible" },
      body: JSON.stringify({ card: { number: "4242424242424242" }, users: [{ email: "a@x.io" }, { email: "b@x.io" }], note: "fine" }),
    });
  }, 60_000);
  afterAll(() => server?.stop());

  it("masks secret headers and token query values by default, in detail, list and body; members reveal (audited)", async () => {
    const detail = await viewer.json("GET", `/api/captures/${captureId}`);
    expect(detail.status).toBe(200);
    const auth = detail.body.headers.find(([n]: [string]) => n.toLowerCase() === "authorization");
    expect(auth[1]).not.toContain(SECRET);
    expect(detail.body.headers).toContainEqual(["x-custom", "visible"]);
    expect(detail.body.query).toBe("token=[REDACTED]&page=2");
    expect(detail.body.masked.headers).toEqual([expect.objectContaining({ name: "authorization" })]);
    expect(detail.body).toMatchObject({ canReveal: false, revealed: false });
    const list = await viewer.captures(endpoint.id);
    expect(list.captures[0].query).toBe("token=[REDACTED]&page=2");

    const denied = await viewer.json("GET", `/api/captures/${captureId}?reveal=1`);
    expect(denied.status).toBe(403);
    expect((await viewer.request("GET", `/api/captures/${captureId}/body?reveal=1`)).status).toBe(403);

    const revealed = await member.json("GET", `/api/captures/${captureId}?reveal=1`);
    expect(revealed.body.headers).toContainEqual(["authorization", `Bearer ${SECRET}`]);
    expect(revealed.body.revealed).toBe(true);
    const audit = await member.json("GET", `/api/workspaces/${ws}/audit?action=capture.reveal`);
    expect(audit.body.events[0]).toMatchObject({ action: "capture.reveal", target: { type: "capture", id: captureId } });
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
  });

  it("a viewer cannot find a masked value by searching for it", async () => {
    expect((await viewer.captures(endpoint.id, `?q=${encodeURIComponent(SECRET)}`)).captures).toHaveLength(0);
    expect((await member.captures(endpoint.id, `?q=${encodeURIComponent(SECRET)}`)).captures).toHaveLength(1);
    expect((await viewer.captures(endpoint.id, "?q=visible")).captures).toHaveLength(1);
  });

  it("applies endpoint rules: JSON paths (nested and in arrays), form fields and regexes", async () => {
    const bad = await member.json("PATCH", `/api/endpoints/${endpoint.id}`, { redactionRules: [{ kind: "json_path", path: "$.[" }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/JSON path/);
    const rules = [
      { kind: "json_path", path: "$.card.number" },
      { kind: "json_path", path: "$..email" },
      { kind: "form_field", name: "password" },
      { kind: "regex", pattern: "ssn=(?P<mask>\\d{3}-\\d{2}-\\d{4})" },
    ];
    const ok = await member.json("PATCH", `/api/endpoints/${endpoint.id}`, { redactionRules: rules });
    expect(ok.status).toBe(200);
    expect(ok.body.redaction.rules).toEqual(rules);

    const json = JSON.parse(await (await viewer.request("GET", `/api/captures/${captureId}/body`)).text());
    expect(json).toEqual({ card: { number: "[REDACTED]" }, users: [{ email: "[REDACTED]" }, { email: "[REDACTED]" }], note: "fine" });
    const detail = await viewer.json("GET", `/api/captures/${captureId}`);
    expect(detail.body.masked.body.length).toBe(3);

    const formId = await send(server, endpoint.token, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "user=ann&password=hunter2&keep=1",
    });
    const form = await (await viewer.request("GET", `/api/captures/${formId}/body`)).text();
    expect(form).toBe("user=ann&password=[REDACTED]&keep=1");

    const textId = await send(server, endpoint.token, { headers: { "content-type": "text/plain" }, body: "id=7 ssn=123-45-6789 end" });
    const res = await viewer.request("GET", `/api/captures/${textId}/body`);
    expect(res.headers.get("x-hookscope-masked")).toBe("1");
    expect(await res.text()).toBe("id=7 ssn=[REDACTED] end");
    // The stored bytes are untouched.
    expect((await member.rawBody(textId)).toString()).toBe("id=7 ssn=123-45-6789 end");
  });

  it("applies workspace rules to every endpoint of the workspace (admin sets them)", async () => {
    const other = await member.createEndpoint({ name: "other", workspaceId: ws });
    const id = await send(server, other.token, {
      headers: { "content-type": "application/json" },
      body: '{"iban":"DE89370400440532013000","x":1}',
    });
    expect(
      (await viewer.request("PATCH", `/api/workspaces/${ws}`, { redactionRules: [{ kind: "json_path", path: "$.iban" }] })).status,
    ).toBe(403);
    expect(
      (await member.request("PATCH", `/api/workspaces/${ws}`, { redactionRules: [{ kind: "json_path", path: "$.iban" }] })).status,
    ).toBe(200);
    expect(await (await viewer.request("GET", `/api/captures/${id}/body`)).text()).toBe('{"iban":"[REDACTED]","x":1}');
    await member.request("PATCH", `/api/workspaces/${ws}`, { redactionRules: [] });
  });

  it("masks inside a gzip body by serving it decoded, never the compressed secret", async () => {
    const other = await member.createEndpoint({ name: "gz", workspaceId: ws });
    await member.request("PATCH", `/api/endpoints/${other.id}`, { redactionRules: [{ kind: "json_path", path: "$.password" }] });
    const gz = gzipSync(Buffer.from('{"password":"zip-secret","ok":true}'));
    const id = await send(server, other.token, { headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: gz });
    const res = await viewer.request("GET", `/api/captures/${id}/body`);
    expect(res.headers.get("x-hookscope-decode")).toBe("decoded");
    expect(await res.text()).toBe('{"password":"[REDACTED]","ok":true}');
    expect((await member.rawBody(id)).equals(gz)).toBe(true);
    const broken = await send(server, other.token, { headers: { "content-encoding": "gzip" }, body: Buffer.from("not gzip at all") });
    const withheld = await viewer.request("GET", `/api/captures/${broken}/body`);
    expect(withheld.headers.get("x-hookscope-withheld")).toMatch(/gzip/);
    expect((await withheld.arrayBuffer()).byteLength).toBe(0);
  });

  it("downloads are audited exports and stay masked unless revealed", async () => {
    const res = await viewer.request("GET", `/api/captures/${captureId}/body?download=1`);
    expect(res.headers.get("content-disposition")).toMatch(/attachment/);
    expect(await res.text()).not.toContain("4242424242424242");
    const audit = await member.json("GET", `/api/workspaces/${ws}/audit?action=capture.export`);
    expect(audit.body.events[0]).toMatchObject({ actor: { label: `viewer-${provider}@example.test` }, detail: { masked: true } });
  });

  it("share links: masked page data, JSON form, capture scope, hashed at rest, expiry and revocation", async () => {
    const created = await member.json("POST", `/api/endpoints/${endpoint.id}/share-links`, {
      expiresInSeconds: 3600,
      label: "for support",
    });
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(/^http:\/\/127\.0\.0\.1:1\/s\/hs_shr_[A-Za-z0-9_-]{32}$/);
    const token = created.body.url.split("/s/")[1];

    // JSON form of the share URL itself, no account, masked.
    const visitor = anonymous(server);
    const viaAccept = await visitor.request("GET", sharePath(created.body.url), undefined, { accept: "application/json" });
    expect(viaAccept.status).toBe(200);
    const root = await viaAccept.json();
    expect(root).toMatchObject({ kind: "endpoint", name: "payments" });
    expect(JSON.stringify(root)).not.toContain("qtok-999");
    const detail = await visitor.json("GET", `/api/share/${token}/captures/${captureId}`);
    expect(JSON.stringify(detail.body)).not.toContain(SECRET);
    expect(detail.body).toMatchObject({ canReveal: false, revealed: false });
    const body = await visitor.request("GET", `/api/share/${token}/captures/${captureId}/body`);
    expect(body.headers.get("content-disposition")).toMatch(/attachment/);
    expect(await body.text()).not.toContain("4242424242424242");
    // No reveal through a share link, whatever is asked.
    expect(await (await visitor.request("GET", `/api/share/${token}/captures/${captureId}/body?reveal=1`)).text()).not.toContain(
      "4242424242424242",
    );
    // The share page itself is served (HTML) without an account.
    const page = await fetch(`${server.url}${sharePath(created.body.url)}`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);

    // Only a hash is stored.
    const rows = await queryDb(server, `SELECT "tokenHash" FROM "ShareLink"`);
    const stored = rows.map((r) => String(r.tokenHash));
    expect(stored).toContain(createHash("sha256").update(token).digest("hex"));
    expect(stored.join()).not.toContain(token);

    // Listed in the endpoint's settings with its view count; the views are audited.
    const list = await member.json("GET", `/api/endpoints/${endpoint.id}/share-links`);
    const listed = list.body.shareLinks.find((l: { id: string }) => l.id === created.body.id);
    expect(listed).toMatchObject({ state: "active", label: "for support", url: created.body.url });
    expect(listed.views).toBeGreaterThanOrEqual(1);
    const views = await member.json("GET", `/api/workspaces/${ws}/audit?action=share.view`);
    expect(views.body.events[0]).toMatchObject({ actor: { type: "share", id: created.body.id } });

    // A capture-scoped link shows that capture only.
    const other = await send(server, endpoint.token, { body: "another" });
    const one = await member.json("POST", `/api/endpoints/${endpoint.id}/share-links`, { captureId, expiresInSeconds: 600 });
    const oneToken = one.body.url.split("/s/")[1];
    expect((await visitor.json("GET", `/api/share/${oneToken}`)).body).toMatchObject({ kind: "capture", capture: { id: captureId } });
    expect((await visitor.request("GET", `/api/share/${oneToken}/captures/${other}`)).status).toBe(404);
    expect((await visitor.request("GET", `/api/share/${oneToken}/stream`)).status).toBe(404);

    // Revoked → the same 404 as unknown.
    const unknown = await visitor.request("GET", `/api/share/hs_shr_${"A".repeat(32)}`);
    const unknownBody = await unknown.text();
    expect(unknown.status).toBe(404);
    expect((await member.request("DELETE", `/api/share-links/${created.body.id}`)).status).toBe(204);
    const revoked = await visitor.request("GET", `/api/share/${token}`);
    expect(revoked.status).toBe(404);
    expect(await revoked.text()).toBe(unknownBody);
    expect((await visitor.request("GET", `/api/share/${token}/captures/${captureId}/body`)).status).toBe(404);

    // Expired (SHARE_LINK_TTL=3s here) → the same 404.
    const short = await member.json("POST", `/api/endpoints/${endpoint.id}/share-links`, {});
    const shortToken = short.body.url.split("/s/")[1];
    expect((await visitor.request("GET", `/api/share/${shortToken}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3200));
    const expired = await visitor.request("GET", `/api/share/${shortToken}`);
    expect(expired.status).toBe(404);
    expect(await expired.text()).toBe(unknownBody);
    expect(
      (await member.json("GET", `/api/endpoints/${endpoint.id}/share-links`)).body.shareLinks.find(
        (l: { id: string }) => l.id === short.body.id,
      ).state,
    ).toBe("expired");
    // Viewers cannot create or list share links.
    expect((await viewer.request("POST", `/api/endpoints/${endpoint.id}/share-links`, {})).status).toBe(403);
  });

  it("streams a shared endpoint live (masked) and ends the stream when the link is revoked", async () => {
    const created = await member.json("POST", `/api/endpoints/${endpoint.id}/share-links`, { expiresInSeconds: 600 });
    const token = created.body.url.split("/s/")[1];
    const frames: string[] = [];
    let ended = false;
    const opened = new Promise<number>((resolve) => {
      http.get(`${server.url}/api/share/${token}/stream`, (res) => {
        resolve(res.statusCode ?? 0);
        res.setEncoding("utf8");
        res.on("data", (d: string) => frames.push(d));
        res.on("end", () => (ended = true));
      });
    });
    expect(await opened).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await send(server, endpoint.token, { path: "/live?token=live-secret" });
    for (let i = 0; i < 50 && !frames.join("").includes("event: capture"); i++) await new Promise((r) => setTimeout(r, 100));
    const text = frames.join("");
    expect(text).toContain("event: capture");
    expect(text).toContain("token=[REDACTED]");
    expect(text).not.toContain("live-secret");
    await member.request("DELETE", `/api/share-links/${created.body.id}`);
    for (let i = 0; i < 80 && !ended; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ended).toBe(true);
  });

  it("a caller who cannot reveal verifies the masked capture: nothing echoes, shortens or confirms a masked value", async () => {
    const ep = await member.createEndpoint({ name: "verify oracle", workspaceId: ws });
    // 14 characters: a shortened signature value (first 10 … last 4) showed all of it.
    // Letters outside hex and digits, so no id, fingerprint or time in the answer can contain them by chance.
    const secretish = { "x-api-key": "KEYqwertyuiopZ", authorization: "Bearer sk_live_QWERTYzxcvUIOP", "x-gitlab-token": "gl-token-WXYZ" };
    const masked = { ...secretish, "x-auth-token": "1700000123" };
    const id = await send(server, ep.token, { headers: { "content-type": "application/json", ...masked }, body: '{"a":1}' });
    const tok = await member.json("POST", "/api/tokens", { name: "support script", workspaceId: ws, role: "viewer" });
    const viewerToken = anonymous(server);
    viewerToken.bearer = tok.body.token;
    const verify = (caller: Api, body: unknown) => caller.json("POST", `/api/captures/${id}/verify`, body);
    const generic = {
      algorithm: "sha256",
      encoding: "hex",
      header: "X-Api-Key",
      template: "{timestamp}.{body}",
      timestampHeader: "X-Auth-Token",
    };
    for (const caller of [viewer, viewerToken]) {
      const asKey = await verify(caller, { provider: "generic", secret: "s", generic });
      expect(asKey.status).toBe(200);
      const asAuth = await verify(caller, {
        provider: "generic",
        secret: "s",
        generic: { algorithm: "sha256", encoding: "hex", header: "Authorization" },
      });
      const text = JSON.stringify([asKey.body, asAuth.body]);
      for (const v of Object.values(secretish)) {
        expect(text).not.toContain(v);
        expect(text).not.toContain(v.slice(0, 10));
        expect(text).not.toContain(v.slice(-4));
      }
      // A masked numeric header as the timestamp header: its value does not come back.
      expect(text).not.toContain("1700000123");
      expect(asKey.body.timestamp?.value ?? null).toBeNull();
      expect(asKey.body.maskedCapture).toBe(true);
      // A plain-token scheme compares the header with the secret: a right guess answers as a wrong one does.
      const right = await verify(caller, { provider: "gitlab", secret: "gl-token-WXYZ" });
      const wrong = await verify(caller, { provider: "gitlab", secret: "gl-token-0000" });
      const answer = (b: Record<string, unknown>) => ({ ...b, secret: null });
      expect(right.body.valid).toBe(false);
      expect(answer(right.body)).toEqual(answer(wrong.body));
    }
    // A member (who may reveal) still verifies the stored capture.
    const ok = await verify(member, { provider: "gitlab", secret: "gl-token-WXYZ" });
    expect(ok.body).toMatchObject({ valid: true, maskedCapture: false });
  });

  it("a caller who cannot reveal diffs edits against the masked capture: a guessed header value is not confirmed", async () => {
    const ep = await member.createEndpoint({ name: "diff oracle", workspaceId: ws });
    const id = await send(server, ep.token, { headers: { "content-type": "application/json", "x-api-key": "key-right-123" }, body: "{}" });
    const diff = (caller: Api, key: string) =>
      // includeCredentials: X-Api-Key is a credential, left out of the edited request otherwise.
      caller.json("POST", `/api/captures/${id}/diff-request`, {
        headers: [
          ["content-type", "application/json"],
          ["x-api-key", key],
        ],
        includeCredentials: true,
      });
    const right = await diff(viewer, "key-right-123");
    const wrong = await diff(viewer, "key-wrong-456");
    expect(right.status).toBe(200);
    expect(right.body.diff.headers).toEqual(wrong.body.diff.headers);
    expect(right.body.diff.headers).toContainEqual({ name: "x-api-key", kind: "changed", before: ["••••••"], after: ["••••••"] });
    expect(JSON.stringify(right.body)).not.toContain("key-right-123");
    // A member compares the stored values (shown masked): the same value is no change.
    const byMember = (await diff(member, "key-right-123")).body.diff.headers as { name: string }[];
    expect(byMember.filter((h) => h.name.toLowerCase() === "x-api-key")).toEqual([]);
  });

  it("masked views carry the size and sha256 of what they serve, never of the masked original", async () => {
    const ep = await member.createEndpoint({ name: "pin", workspaceId: ws });
    await member.request("PATCH", `/api/endpoints/${ep.id}`, { redactionRules: [{ kind: "json_path", path: "$.pin" }] });
    const original = '{"pin":"4821","amount":5}';
    const shown = '{"pin":"[REDACTED]","amount":5}';
    const id = await send(server, ep.token, { headers: { "content-type": "application/json" }, body: original });
    const visitor = anonymous(server);
    const one = (await member.json("POST", `/api/endpoints/${ep.id}/share-links`, { captureId: id, expiresInSeconds: 600 })).body.url.split(
      "/s/",
    )[1];
    const all = (await member.json("POST", `/api/endpoints/${ep.id}/share-links`, { expiresInSeconds: 600 })).body.url.split("/s/")[1];
    // A browser replay recorded by a member, with the original bytes.
    const rec = await member.json("POST", `/api/captures/${id}/attempts`, {
      kind: "browser",
      request: {
        url: "http://localhost:3000/hook",
        method: "POST",
        headers: [
          ["content-type", "application/json"],
          ["content-length", String(original.length)],
        ],
        body: original,
      },
      response: {
        status: 200,
        headers: [
          ["content-type", "application/json"],
          ["Content-Length", String(original.length)],
        ],
        body: original,
      },
    });
    expect(rec.status).toBe(201);

    const views: Record<string, { bodySize: number; bodySha256?: string | null }> = {
      "share capture": (await visitor.json("GET", `/api/share/${one}`)).body.capture,
      "share detail": (await visitor.json("GET", `/api/share/${all}/captures/${id}`)).body,
      "share list": (await visitor.json("GET", `/api/share/${all}/captures`)).body.captures[0],
      "share root list": (await visitor.json("GET", `/api/share/${all}`)).body.captures[0],
      "viewer detail": (await viewer.json("GET", `/api/captures/${id}`)).body,
      "viewer list": (await viewer.captures(ep.id)).captures[0],
      "member masked detail": (await member.json("GET", `/api/captures/${id}`)).body,
    };
    for (const [name, v] of Object.entries(views)) {
      expect({ name, size: v.bodySize }).toEqual({ name, size: shown.length });
      if (v.bodySha256 !== undefined) expect({ name, sha: v.bodySha256 }).toEqual({ name, sha: sha256(shown) });
    }
    for (const caller of [viewer, visitor]) {
      const res = await caller.request("GET", caller === viewer ? `/api/captures/${id}/body` : `/api/share/${all}/captures/${id}/body`);
      // (Next sends the body chunked; when a length is given it is the served one.)
      expect(res.headers.get("content-length") ?? String(shown.length)).toBe(String(shown.length));
      expect(await res.text()).toBe(shown);
      expect([...res.headers].join("\n")).not.toContain(sha256(original));
    }
    // Live events, for a viewer and a share link.
    // A gzip body is masked after decoding (asynchronously): the plain capture sent after it still comes after it.
    const [viewerEvent, afterIt] = await liveEvents(
      `${server.url}/api/endpoints/${ep.id}/stream`,
      { cookie: viewer.cookie },
      async () => {
        await send(server, ep.token, {
          headers: { "content-type": "application/json", "content-encoding": "gzip" },
          body: gzipSync(Buffer.from(original)),
        });
        await send(server, ep.token, { headers: { "content-type": "application/json" }, body: "{}" });
      },
      2,
    );
    expect(viewerEvent).toMatchObject({ bodySize: shown.length });
    expect(afterIt).toMatchObject({ bodySize: 2, seq: (viewerEvent!.seq as number) + 1 });
    const [shareEvent] = await liveEvents(`${server.url}/api/share/${all}/stream`, {}, () =>
      send(server, ep.token, { headers: { "content-type": "application/json" }, body: original }),
    );
    expect(shareEvent!.bodySize).toBe(shown.length);
    // Attempts and diffs seen by a viewer.
    const attempts = (await viewer.json("GET", `/api/captures/${id}/attempts`)).body.attempts;
    expect(attempts[0].request).toMatchObject({ bodySize: shown.length, bodySha256: sha256(shown) });
    expect(attempts[0].response).toMatchObject({ bodySize: shown.length });
    const attempt = (await viewer.json("GET", `/api/attempts/${attempts[0].id}`)).body;
    expect(Buffer.from(attempt.request.bodyBase64, "base64").toString()).toBe(shown);
    expect(attempt.request.bodySha256).toBe(sha256(shown));
    const edit = (await viewer.json("POST", `/api/captures/${id}/diff-request`, { method: "PUT" })).body;
    expect(edit.edited).toMatchObject({ bodySize: shown.length, bodySha256: sha256(shown) });
    const everything = JSON.stringify([views, viewerEvent, shareEvent, attempts, attempt, edit]);
    expect(everything).not.toContain(sha256(original));
    expect(everything).not.toContain("4821");
    // The sent Content-Length would tell the original's length: masked beside a masked body, and listed as masked.
    expect(everything.toLowerCase()).not.toContain(`["content-length","${original.length}"]`);
    const detail = views["viewer detail"] as unknown as {
      headers: [string, string][];
      masked: { headers: { name: string; by: string }[] };
    };
    expect(detail.headers).toContainEqual(["content-length", "••••••"]);
    expect(detail.masked.headers).toContainEqual(expect.objectContaining({ name: "content-length", by: "body" }));
    // Nothing masked: the stored facts.
    const plain = await send(server, ep.token, { headers: { "content-type": "application/json" }, body: '{"amount":7}' });
    expect((await viewer.json("GET", `/api/captures/${plain}`)).body).toMatchObject({ bodySize: 12, bodySha256: sha256('{"amount":7}') });
  });

  it("a masked Content-Type is masked in the rows, the detail and the download's name too", async () => {
    const ep = await member.createEndpoint({ name: "typed", workspaceId: ws });
    await member.request("PATCH", `/api/endpoints/${ep.id}`, { redactionRules: [{ kind: "header", name: "Content-Type" }] });
    const id = await send(server, ep.token, { headers: { "content-type": "text/csv; product=secret-x" }, body: "a,b\n1,2\n" });
    const row = (await viewer.captures(ep.id)).captures[0];
    const detail = (await viewer.json("GET", `/api/captures/${id}`)).body;
    const body = await viewer.request("GET", `/api/captures/${id}/body`);
    expect(JSON.stringify([row, detail])).not.toContain("csv");
    expect(body.headers.get("content-disposition")).toBe(`attachment; filename="${id}.bin"`);
  });

  it("the default body download is the exact stored bytes when masking changes nothing, and is named by its content type", async () => {
    const ep = await member.createEndpoint({ name: "downloads", workspaceId: ws });
    const plain = '{"ok":true,"n":1}';
    const gz = gzipSync(Buffer.from(plain));
    const id = await send(server, ep.token, { headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: gz });
    const share = (await member.json("POST", `/api/endpoints/${ep.id}/share-links`, { expiresInSeconds: 600 })).body.url.split("/s/")[1];
    for (const [caller, path] of [
      [viewer, `/api/captures/${id}/body`],
      [member, `/api/captures/${id}/body`],
      [member, `/api/captures/${id}/body?download=1`],
      [anonymous(server), `/api/share/${share}/captures/${id}/body`],
    ] as const) {
      const res = await caller.request("GET", path);
      expect({ path, masked: res.headers.get("x-hookscope-masked"), decode: res.headers.get("x-hookscope-decode") }).toEqual({
        path,
        masked: "0",
        decode: null,
      });
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${id}.json.gz"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(gz)).toBe(true);
    }
    expect((await viewer.json("GET", `/api/captures/${id}`)).body).toMatchObject({
      bodySize: gz.length,
      bodySha256: sha256(gz),
      masked: { body: [] },
    });
    // Asked for, the decoded form.
    const decoded = await viewer.request("GET", `/api/captures/${id}/body?decode=1`);
    expect(decoded.headers.get("x-hookscope-decode")).toBe("decoded");
    expect(decoded.headers.get("content-disposition")).toBe(`attachment; filename="${id}.decoded.json"`);
    expect(await decoded.text()).toBe(plain);
    // When masking changes something, the download says so (header and name).
    await member.request("PATCH", `/api/endpoints/${ep.id}`, { redactionRules: [{ kind: "json_path", path: "$.n" }] });
    const masked = await viewer.request("GET", `/api/captures/${id}/body`);
    expect(masked.headers.get("x-hookscope-masked")).toBe("1");
    expect(masked.headers.get("content-disposition")).toBe(`attachment; filename="${id}.decoded.masked.json"`);
    expect(await masked.text()).toBe('{"ok":true,"n":"[REDACTED]"}');
    // Named by content type.
    for (const [type, body, ext] of [
      ["application/xml", "<a/>", "xml"],
      ["text/plain; charset=utf-8", "hi", "txt"],
      ["application/vnd.api+json", "{}", "json"],
      ["image/png", "\x89PNG", "png"],
      ["text/html", "<b>x</b>", "txt"],
      ["application/octet-stream", "\x00", "bin"],
    ] as const) {
      const cid = await send(server, ep.token, { headers: { "content-type": type }, body });
      const res = await viewer.request("GET", `/api/captures/${cid}/body`);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${cid}.${ext}"`);
      await res.body?.cancel();
    }
  });

  it("rate-limits guessing share tokens from one address", async () => {
    const guesser = anonymous(server);
    let limited = 0;
    for (let i = 0; i < 40; i++) {
      const res = await guesser.request("GET", `/api/share/hs_shr_${String(i).padStart(32, "x")}`);
      if (res.status === 429) limited++;
      await res.body?.cancel();
    }
    expect(limited).toBeGreaterThan(0);
    const limitedJson = await guesser.request("GET", `/api/share/hs_shr_${"y".repeat(32)}`);
    expect(limitedJson.status).toBe(429);
    expect(Number(limitedJson.headers.get("retry-after") ?? NaN)).toBeGreaterThan(0);
    await limitedJson.body?.cancel();
    // The page form of a share link says so with the same status (a page cannot set one itself).
    const page = await guesser.request("GET", `/s/hs_shr_${"z".repeat(32)}`, undefined, { accept: "text/html" });
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(page.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Too many attempts");
  });

  it("redact at ingest stores masked bytes (and says so through size and sha256)", async () => {
    const ep = await member.createEndpoint({ name: "at rest", workspaceId: ws });
    await member.request("PATCH", `/api/endpoints/${ep.id}`, {
      redactAtIngest: true,
      redactionRules: [{ kind: "json_path", path: "$.card" }],
    });
    const id = await send(server, ep.token, {
      headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json" },
      body: '{"card":{"number":"4111111111111111"},"amount":5}',
    });
    const stored = await member.rawBody(id);
    expect(stored.toString()).toBe('{"card":"[REDACTED]","amount":5}');
    const detail = await member.json("GET", `/api/captures/${id}?reveal=1`);
    expect(detail.body.headers).toContainEqual(["authorization", "Bearer [REDACTED]"]);
    expect(detail.body.bodySize).toBe(stored.length);
    expect(detail.body.bodySha256).toBe(createHash("sha256").update(stored).digest("hex"));
    const all = await queryDb(server, `SELECT headers, body FROM "Capture"`);
    const raw = all.map((r) => `${r.headers}${Buffer.from(r.body as Uint8Array).toString("latin1")}`).join("\n");
    expect(raw).not.toContain("4111111111111111");
  });

  it("redact at ingest masks inside a compressed body and stores it compressed again", async () => {
    const ep = await member.createEndpoint({ name: "at rest gz", workspaceId: ws });
    await member.request("PATCH", `/api/endpoints/${ep.id}`, {
      redactAtIngest: true,
      redactionRules: [{ kind: "json_path", path: "$.password" }],
    });
    for (const [coding, encode, decode] of [
      ["gzip", gzipSync, gunzipSync],
      ["br", brotliCompressSync, brotliDecompressSync],
    ] as const) {
      const id = await send(server, ep.token, {
        headers: { "content-type": "application/json", "content-encoding": coding },
        body: encode(Buffer.from('{"password":"gz-at-rest-secret","ok":true}')),
      });
      const stored = await member.rawBody(id);
      expect(decode(stored).toString()).toBe('{"password":"[REDACTED]","ok":true}');
      const detail = await member.json("GET", `/api/captures/${id}?reveal=1`);
      expect(detail.body.bodySha256).toBe(createHash("sha256").update(stored).digest("hex"));
    }
    const all = await queryDb(server, `SELECT body FROM "Capture"`);
    for (const row of all) {
      const bytes = Buffer.from(row.body as Uint8Array);
      for (const unpack of [gunzipSync, brotliDecompressSync]) {
        try {
          expect(unpack(bytes).toString()).not.toContain("gz-at-rest-secret");
        } catch {
          // not this coding
        }
      }
    }
  });

  it("never writes captured secrets to the server log", () => {
    const logs = server.logs.join("");
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain("4242424242424242");
  });
});
