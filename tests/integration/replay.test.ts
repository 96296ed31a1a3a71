// Replay from the server, through the real server and a local echo server on 127.0.0.1 (allowed
// by ALLOWED_FORWARD_SUBNETS=127.0.0.0/8): the echo receives the captured header list (order,
// case, duplicates; hop-by-hop dropped, Host and Content-Length set for the target) and the exact
// body bytes, for binary and multipart bodies. Credentials only with opt-in; viewers cannot
// replay; attempts are listed newest first, masked, revealable (audited), diffable; a server
// without the allow-list refuses a loopback target with 422 target_forbidden and stores nothing.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";
import { rawRequest } from "../helpers/raw-http";
import { EchoServer, expectedOnWire, sha256, withoutConnection, type Pairs } from "../helpers/echo-server";

const SECRET = "SECRET123";

/** Sends a capture over a raw socket (header case, order and duplicates as written). */
async function rawCapture(server: TestServer, token: string, suffix: string, headers: Pairs, body: Buffer, method = "POST") {
  // HTTP/1.1 needs a Host; tests that care give their own.
  if (!headers.some(([n]) => n.toLowerCase() === "host")) headers = [["Host", `127.0.0.1:${server.port}`], ...headers];
  const head =
    `${method} /in/${token}${suffix} HTTP/1.1\r\n` +
    headers.map(([n, v]) => `${n}: ${v}\r\n`).join("") +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  const res = await rawRequest(server.port, head, body);
  expect(res.status).toBe(200);
  const id = /X-Hookscope-Capture-Id: (\S+)/i.exec(res.headers)?.[1];
  expect(id).toBeTruthy();
  return id!;
}

function multipart(): { body: Buffer; contentType: string } {
  const boundary = "----hookscope-Boundary7MA4YWxkTrZu0gW";
  const file = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31 + 7) % 256));
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nh\u00e9llo \u2603\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="data.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(await providers())("replay (%s)", (provider) => {
  let server: TestServer;
  let echo: EchoServer;
  let owner: Api;
  let member: Api;
  let viewer: Api;
  let stranger: Api;
  let ws = "";
  let endpoint: { id: string; token: string };

  beforeAll(async () => {
    server = await startServer({ provider, env: { ALLOWED_FORWARD_SUBNETS: "127.0.0.0/8", FORWARD_TIMEOUT_MS: "3000" } });
    echo = await new EchoServer().start();
    owner = new Api(server.url);
    member = new Api(server.url);
    viewer = new Api(server.url);
    stranger = new Api(server.url);
    await owner.signUp(`owner-replay-${provider}@example.test`);
    await member.signUp(`member-replay-${provider}@example.test`);
    await viewer.signUp(`viewer-replay-${provider}@example.test`);
    await stranger.signUp(`stranger-replay-${provider}@example.test`);
    ws = (await owner.json("POST", "/api/workspaces", { name: "Replay team" })).body.id;
    for (const [who, role] of [
      [member, "member"],
      [viewer, "viewer"],
    ] as const) {
      const inv = await owner.json("POST", `/api/workspaces/${ws}/invites`, { role });
      expect((await who.json("POST", "/api/invites/accept", { token: inv.body.token })).status).toBe(200);
    }
    endpoint = await member.createEndpoint({ name: "replays", workspaceId: ws });
  }, 120_000);
  afterAll(async () => {
    await echo?.stop();
    await server?.stop();
  });

  const originalHeaders = async (captureId: string): Promise<Pairs> =>
    (await member.json("GET", `/api/captures/${captureId}?reveal=1`)).body.headers;

  it("sends a binary body byte-exact with the captured header list (case, order, duplicates)", async () => {
    const body = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(5000)]);
    const id = await rawCapture(
      server,
      endpoint.token,
      "/stripe/evt?x=1&y=%20z",
      [
        ["Host", "hooks.example.test"],
        ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
        ["x-lower-case", "a"],
        ["X-Dup", "one"],
        ["x-dup", "two"],
        ["Content-Type", "application/octet-stream"],
        ["Stripe-Signature", "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"],
        ["Authorization", `Bearer ${SECRET}`],
        ["X-Weird-CASE", "  spaced value "],
      ],
      body,
    );
    const original = await originalHeaders(id);

    const target = `${echo.url}/replayed/path?from=hookscope`;
    const res = await member.json("POST", `/api/captures/${id}/replay`, { url: target, includeCredentials: true });
    expect(res.status).toBe(201);
    const got = echo.received.at(-1)!;
    expect(got.method).toBe("POST");
    expect(got.url).toBe("/replayed/path?from=hookscope");
    expect(got.body.length).toBe(body.length);
    expect(got.sha256).toBe(sha256(body));
    // Node's client adds its own Connection: close (hop-by-hop, like the captured one it replaces).
    expect(withoutConnection(got.headers)).toEqual(expectedOnWire(original, `127.0.0.1:${echo.port}`, body.length));

    // The stored attempt: exact request, the response, the time.
    const attempt = res.body;
    expect(attempt).toMatchObject({
      kind: "replay",
      captureId: id,
      request: { method: "POST", url: target, bodySize: body.length, bodySha256: sha256(body) },
      response: { status: 200, truncated: false },
      error: null,
    });
    expect(attempt.id).toMatch(/^att_/);
    expect(typeof attempt.response.durationMs).toBe("number");
    // Masked by default in the API, like the capture.
    expect(JSON.stringify(attempt)).not.toContain(SECRET);
    expect(attempt.masked).toBe(true);

    // Path appended from the capture when asked.
    const appended = await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/base?k=v`, appendPath: true });
    expect(appended.status).toBe(201);
    expect(echo.received.at(-1)!.url).toBe("/base/stripe/evt?k=v&x=1&y=%20z");
  });

  it("sends a multipart body byte-exact, and drops Authorization and Cookie without opt-in (signatures kept)", async () => {
    const { body, contentType } = multipart();
    const id = await rawCapture(
      server,
      endpoint.token,
      "/upload",
      [
        ["host", "hooks.example.test"],
        ["content-type", contentType],
        ["AUTHORIZATION", `Basic ${Buffer.from(`u:${SECRET}`).toString("base64")}`],
        ["Cookie", `session=${SECRET}; theme=dark`],
        ["X-Hub-Signature-256", "sha256=0123456789abcdef"],
        ["Accept", "*/*"],
      ],
      body,
    );
    const original = await originalHeaders(id);

    const res = await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/mp` });
    expect(res.status).toBe(201);
    const got = echo.received.at(-1)!;
    expect(got.sha256).toBe(sha256(body));
    expect(withoutConnection(got.headers)).toEqual(
      expectedOnWire(original, `127.0.0.1:${echo.port}`, body.length, ["authorization", "cookie"]),
    );
    expect(got.headers.map(([n]) => n.toLowerCase())).not.toContain("authorization");
    expect(got.headers.map(([n]) => n.toLowerCase())).not.toContain("cookie");
    expect(got.headers).toContainEqual(["X-Hub-Signature-256", "sha256=0123456789abcdef"]);
    expect(JSON.stringify(got.headers)).not.toContain(SECRET);

    // With the box ticked they go too, exactly.
    const withCreds = await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/mp`, includeCredentials: true });
    expect(withCreds.status).toBe(201);
    expect(withoutConnection(echo.received.at(-1)!.headers)).toEqual(expectedOnWire(original, `127.0.0.1:${echo.port}`, body.length));
  });

  it("every credential header the masking hides (X-Api-Key, *-Token, *-Secret) is a credential: left out without opt-in, never sent on to another origin", async () => {
    const id = await rawCapture(
      server,
      endpoint.token,
      "/keys",
      [
        ["Content-Type", "application/json"],
        ["X-Api-Key", `key_${SECRET}`],
        ["X-Gitlab-Token", `tok_${SECRET}`],
        ["X-Webhook-Secret", `sec_${SECRET}`],
        ["Stripe-Signature", "t=1,v1=abc"],
        ["X-Keep", "1"],
      ],
      Buffer.from('{"k":1}'),
    );
    const names = (r: { headers: Pairs }) => r.headers.map(([n]) => n.toLowerCase());

    expect((await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/keys` })).status).toBe(201);
    const plain = echo.received.at(-1)!;
    expect(names(plain)).not.toContain("x-api-key");
    expect(names(plain)).not.toContain("x-gitlab-token");
    expect(names(plain)).not.toContain("x-webhook-secret");
    expect(JSON.stringify(plain.headers)).not.toContain(SECRET);
    expect(plain.headers).toContainEqual(["Stripe-Signature", "t=1,v1=abc"]);
    expect(plain.headers).toContainEqual(["X-Keep", "1"]);
    // The dry-run diff says the same.
    const diff = await member.json("POST", `/api/captures/${id}/diff-request`, {});
    expect(diff.status).toBe(200);
    expect(
      diff.body.diff.headers
        .filter((h: { kind: string }) => h.kind === "removed")
        .map((h: { name: string }) => h.name)
        .sort(),
    ).toEqual(["X-Api-Key", "X-Gitlab-Token", "X-Webhook-Secret"]);

    // Opted in: sent to the target; but a redirect to another origin (another port) gets none of them.
    const other = await new EchoServer().start();
    try {
      echo.handler = (r, res) => {
        if (r.url === "/hop") {
          res.writeHead(307, { Location: `${other.url}/landed` });
          res.end();
        } else {
          res.writeHead(200);
          res.end("ok");
        }
      };
      const hop = await member.json("POST", `/api/captures/${id}/replay`, {
        url: `${echo.url}/hop`,
        includeCredentials: true,
        followRedirects: true,
      });
      expect(hop.status).toBe(201);
      const first = echo.received.at(-1)!;
      expect(first.headers).toContainEqual(["X-Api-Key", `key_${SECRET}`]);
      expect(first.headers).toContainEqual(["X-Gitlab-Token", `tok_${SECRET}`]);
      const landed = (await other.waitFor(1))[0]!;
      expect(landed.url).toBe("/landed");
      expect(JSON.stringify(landed.headers)).not.toContain(SECRET);
      expect(landed.headers).toContainEqual(["Stripe-Signature", "t=1,v1=abc"]);
      expect(landed.headers).toContainEqual(["X-Keep", "1"]);
    } finally {
      echo.handler = new EchoServer().handler;
      await other.stop();
    }
  });

  it("replays an edited request (method, headers, text body, base64 body)", async () => {
    const id = await rawCapture(server, endpoint.token, "/e", [["Content-Type", "application/json"]], Buffer.from('{"a":1}'));
    const res = await member.json("POST", `/api/captures/${id}/replay`, {
      url: `${echo.url}/edited`,
      method: "put",
      headers: [
        ["Content-Type", "application/json"],
        ["X-Edited", "yes"],
      ],
      body: '{"a":2}',
    });
    expect(res.status).toBe(201);
    const got = echo.received.at(-1)!;
    expect(got.method).toBe("PUT");
    expect(got.body.toString()).toBe('{"a":2}');
    expect(withoutConnection(got.headers)).toEqual([
      ["Host", `127.0.0.1:${echo.port}`],
      ["Content-Type", "application/json"],
      ["X-Edited", "yes"],
      ["Content-Length", "7"],
    ]);
    const bytes = Buffer.from([0, 1, 2, 255]);
    const b64 = await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/b64`, bodyBase64: bytes.toString("base64") });
    expect(b64.status).toBe(201);
    expect(echo.received.at(-1)!.sha256).toBe(sha256(bytes));
    // Bad input: 422, nothing sent.
    const before = echo.received.length;
    for (const bad of [
      { url: `${echo.url}/x`, method: "NOT A METHOD" },
      { url: `${echo.url}/x`, bodyBase64: "%%%" },
      { url: `${echo.url}/x`, body: "a", bodyBase64: "YQ==" },
      { url: "ftp://127.0.0.1/x" },
      { url: `http://user:pw@127.0.0.1:${echo.port}/x` },
      { url: `${echo.url}/x`, headers: [["Bad Header", "x"]] },
      {},
    ]) {
      const r = await member.json("POST", `/api/captures/${id}/replay`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(422);
    }
    expect(echo.received.length).toBe(before);
  });

  it("refuses metadata addresses even with an allow-list, and records errors as attempts", async () => {
    const id = await rawCapture(server, endpoint.token, "/m", [["Content-Type", "text/plain"]], Buffer.from("hi"));
    const meta = await member.json("POST", `/api/captures/${id}/replay`, { url: "http://169.254.169.254/latest/meta-data/" });
    expect(meta.status).toBe(422);
    expect(meta.body.error.code).toBe("target_forbidden");
    expect(meta.body.error.message).toContain("169.254.169.254");
    expect(meta.body.error.message).toContain("metadata");
    // A closed port: the attempt is stored with its error.
    const closed = await member.json("POST", `/api/captures/${id}/replay`, { url: "http://127.0.0.1:1/nothing" });
    expect(closed.status).toBe(201);
    expect(closed.body.response).toBeNull();
    expect(closed.body.error.code).toBe("connection_refused");
    const list = await member.json("GET", `/api/captures/${id}/attempts`);
    expect(list.body.attempts.map((a: { id: string }) => a.id)).toEqual([closed.body.id]);
  });

  it("viewers read attempts but cannot replay; strangers see nothing", async () => {
    const id = await rawCapture(server, endpoint.token, "/v", [["Content-Type", "text/plain"]], Buffer.from("v"));
    const sent = await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/v` });
    expect(sent.status).toBe(201);
    const before = echo.received.length;
    const refused = await viewer.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/v` });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("insufficient_role");
    expect((await stranger.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/v` })).status).toBe(404);
    expect(echo.received.length).toBe(before);
    expect((await viewer.json("GET", `/api/captures/${id}/attempts`)).body.attempts).toHaveLength(1);
    expect((await viewer.json("GET", `/api/attempts/${sent.body.id}`)).status).toBe(200);
    expect((await viewer.json("GET", `/api/attempts/${sent.body.id}?reveal=1`)).status).toBe(403);
    expect((await stranger.json("GET", `/api/attempts/${sent.body.id}`)).status).toBe(404);
    expect((await stranger.json("GET", `/api/captures/${id}/attempts`)).status).toBe(404);
  });

  it("lists attempts newest first and diffs two attempts' responses (JSON by value)", async () => {
    const id = await rawCapture(server, endpoint.token, "/d", [["Content-Type", "application/json"]], Buffer.from('{"order":42}'));
    let version = 0;
    echo.handler = (_r, res) => {
      version++;
      const body =
        version === 1
          ? { status: "ok", order: { id: 42, total: 10, items: [{ id: "a", qty: 1 }] }, debug: true }
          : { order: { items: [{ qty: 2, id: "a" }], total: 12, id: 42 }, status: "ok", warning: "slow" };
      res.writeHead(version === 1 ? 200 : 202, {
        "Content-Type": "application/json",
        Date: new Date(Date.now() + version * 1000).toUTCString(),
        "X-Version": String(version),
      });
      res.end(JSON.stringify(body));
    };
    try {
      const first = (await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/d` })).body;
      const second = (await member.json("POST", `/api/captures/${id}/replay`, { url: `${echo.url}/d` })).body;
      const list = await viewer.json("GET", `/api/captures/${id}/attempts`);
      expect(list.status).toBe(200);
      expect(list.body.attempts.map((a: { id: string }) => a.id)).toEqual([second.id, first.id]);

      const diff = await viewer.json("GET", `/api/attempts/diff?a=${first.id}&b=${second.id}`);
      expect(diff.status).toBe(200);
      expect(diff.body.diff.status).toEqual({ before: 200, after: 202 });
      // Date is volatile and ignored; X-Version changed.
      const headerNames = diff.body.diff.headers.map((h: { name: string }) => h.name.toLowerCase());
      expect(headerNames).not.toContain("date");
      expect(diff.body.diff.headers).toContainEqual({ name: "X-Version", kind: "changed", before: ["1"], after: ["2"] });
      expect(diff.body.diff.body.mode).toBe("json");
      const changes = diff.body.diff.body.changes.map((c: { path: string; kind: string }) => `${c.kind} ${c.path}`).sort();
      // Key order is ignored: only real value changes.
      expect(changes).toEqual(["added $.warning", "changed $.order.items[0].qty", "changed $.order.total", "removed $.debug"]);

      const full = await member.json("GET", `/api/attempts/${second.id}`);
      expect(JSON.parse(Buffer.from(full.body.response.bodyBase64, "base64").toString())).toMatchObject({ warning: "slow" });
      expect(Buffer.from(full.body.request.bodyBase64, "base64").toString()).toBe('{"order":42}');

      const raw = await member.request("GET", `/api/attempts/${second.id}/body`);
      expect(raw.status).toBe(200);
      expect(raw.headers.get("content-type")).toBe("application/octet-stream");
      expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
      expect(raw.headers.get("content-disposition")).toMatch(/^attachment/);
      expect(raw.headers.get("content-security-policy")).toContain("sandbox");
      expect(JSON.parse(Buffer.from(await raw.arrayBuffer()).toString())).toMatchObject({ warning: "slow" });
      const reqBody = await member.request("GET", `/api/attempts/${second.id}/body?part=request`);
      expect(await reqBody.text()).toBe('{"order":42}');

      // An attempt without a response cannot be diffed.
      const failed = (await member.json("POST", `/api/captures/${id}/replay`, { url: "http://127.0.0.1:1/" })).body;
      const noResponse = await member.json("GET", `/api/attempts/diff?a=${first.id}&b=${failed.id}`);
      expect(noResponse.status).toBe(422);
      expect(noResponse.body.error.code).toBe("no_response");
    } finally {
      echo.handler = new EchoServer().handler;
    }
  });

  it("masks attempts like captures; reveal is member-only and audited; audit detail holds no captured values", async () => {
    const id = await rawCapture(
      server,
      endpoint.token,
      `/s?token=${SECRET}`,
      [
        ["Content-Type", "application/json"],
        ["Authorization", `Bearer ${SECRET}`],
      ],
      Buffer.from(`{"k":"v"}`),
    );
    const sent = await member.json("POST", `/api/captures/${id}/replay`, {
      url: `${echo.url}/s?token=${SECRET}`,
      includeCredentials: true,
    });
    expect(sent.status).toBe(201);
    expect(echo.received.at(-1)!.headers).toContainEqual(["Authorization", `Bearer ${SECRET}`]);
    const masked = await viewer.json("GET", `/api/attempts/${sent.body.id}`);
    expect(JSON.stringify(masked.body)).not.toContain(SECRET);
    expect(masked.body.request.headers).toContainEqual(["Authorization", "Bearer ••••••"]);
    const revealed = await member.json("GET", `/api/attempts/${sent.body.id}?reveal=1`);
    expect(revealed.body.revealed).toBe(true);
    expect(revealed.body.request.headers).toContainEqual(["Authorization", `Bearer ${SECRET}`]);
    const log = await owner.json("GET", `/api/workspaces/${ws}/audit`);
    const actions = log.body.events.map(
      (e: { action: string; target: { type: string; id: string } | null }) => `${e.action} ${e.target?.type}:${e.target?.id}`,
    );
    expect(actions).toContain(`capture.replay capture:${id}`);
    expect(actions).toContain(`capture.reveal attempt:${sent.body.id}`);
    expect(JSON.stringify(log.body)).not.toContain(SECRET);
  });

  it("saved targets: create, list, replay by targetId, delete; member only", async () => {
    const created = await member.json("POST", `/api/endpoints/${endpoint.id}/replay-targets`, {
      url: `${echo.url}/saved`,
      label: "laptop",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: `${echo.url}/saved`, label: "laptop", followRedirects: false });
    expect((await member.json("POST", `/api/endpoints/${endpoint.id}/replay-targets`, { url: "gopher://x" })).status).toBe(422);
    expect((await viewer.json("GET", `/api/endpoints/${endpoint.id}/replay-targets`)).status).toBe(403);
    const list = await member.json("GET", `/api/endpoints/${endpoint.id}/replay-targets`);
    expect(list.body.targets.map((t: { id: string }) => t.id)).toContain(created.body.id);
    const id = await rawCapture(server, endpoint.token, "/t", [["Content-Type", "text/plain"]], Buffer.from("t"));
    const res = await member.json("POST", `/api/captures/${id}/replay`, { targetId: created.body.id });
    expect(res.status).toBe(201);
    expect(echo.received.at(-1)!.url).toBe("/saved");
    expect((await member.json("POST", `/api/captures/${id}/replay`, { targetId: "rt_nope" })).status).toBe(404);
    expect((await stranger.request("DELETE", `/api/replay-targets/${created.body.id}`)).status).toBe(404);
    expect((await viewer.request("DELETE", `/api/replay-targets/${created.body.id}`)).status).toBe(403);
    expect((await member.request("DELETE", `/api/replay-targets/${created.body.id}`)).status).toBe(204);
    expect((await member.json("GET", `/api/endpoints/${endpoint.id}/replay-targets`)).body.targets).toEqual([]);
  });

  it("diffs an edited request against the original without sending anything", async () => {
    const id = await rawCapture(
      server,
      endpoint.token,
      "/r?x=1",
      [
        ["Content-Type", "application/json"],
        ["Authorization", `Bearer ${SECRET}`],
        ["X-Keep", "1"],
      ],
      Buffer.from('{"a":1,"b":{"c":2}}'),
    );
    const before = echo.received.length;
    const res = await viewer.json("POST", `/api/captures/${id}/diff-request`, {
      method: "PUT",
      headers: [
        ["X-Keep", "1"],
        ["Content-Type", "application/json"],
        ["X-New", "n"],
        ["Authorization", `Bearer OTHER`],
      ],
      body: '{"b":{"c":3},"a":1}',
    });
    expect(res.status).toBe(200);
    expect(echo.received.length).toBe(before);
    expect(res.body.diff.method).toEqual({ before: "POST", after: "PUT" });
    expect(res.body.diff.url).toBeNull();
    const headerChanges = res.body.diff.headers.map((h: { kind: string; name: string }) => `${h.kind} ${h.name}`).sort();
    // Without includeCredentials the edited request would not carry Authorization.
    expect(headerChanges).toEqual(["added X-New", "removed Authorization"]);
    expect(res.body.diff.body.changes).toEqual([expect.objectContaining({ path: "$.b.c", kind: "changed", before: 2, after: 3 })]);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const withCreds = await member.json("POST", `/api/captures/${id}/diff-request`, {
      headers: [
        ["Content-Type", "application/json"],
        ["Authorization", "Bearer OTHER"],
        ["X-Keep", "1"],
      ],
      includeCredentials: true,
    });
    const auth = withCreds.body.diff.headers.find((h: { name: string }) => h.name === "Authorization");
    // Changed, with both values masked.
    expect(auth).toEqual({ name: "Authorization", kind: "changed", before: ["Bearer ••••••"], after: ["Bearer ••••••"] });
  });

  it("records a replay sent from the browser (validated, capped at 1 MiB)", async () => {
    const id = await rawCapture(server, endpoint.token, "/b", [["Content-Type", "application/json"]], Buffer.from("{}"));
    const ok = await member.json("POST", `/api/captures/${id}/attempts`, {
      kind: "browser",
      request: { url: "http://localhost:3000/webhooks", method: "POST", headers: [["Content-Type", "application/json"]], body: "{}" },
      response: { status: 204, headers: [["x-from", "laptop"]], body: "", durationMs: 12 },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      kind: "browser",
      request: { url: "http://localhost:3000/webhooks", bodySize: 2 },
      response: { status: 204, durationMs: 12 },
    });
    const cors = await member.json("POST", `/api/captures/${id}/attempts`, {
      kind: "browser",
      request: { url: "http://localhost:3000/webhooks", method: "POST", headers: [] },
      error: { code: "cors_blocked", message: "The target did not allow this origin (CORS)." },
    });
    expect(cors.status).toBe(201);
    expect(cors.body.error.code).toBe("cors_blocked");
    const big = await member.json("POST", `/api/captures/${id}/attempts`, {
      kind: "browser",
      request: { url: "http://localhost:3000/", method: "POST", headers: [], bodyBase64: Buffer.alloc(1024 * 1024 + 1).toString("base64") },
      error: { code: "network_error", message: "x" },
    });
    expect(big.status).toBe(413); // body_too_large: 413 on every road (was 422 here, 413 at the door)
    expect(big.body.error.code).toBe("body_too_large");
    const longResponse = await member.json("POST", `/api/captures/${id}/attempts`, {
      kind: "browser",
      request: { url: "http://localhost:3000/", method: "GET", headers: [] },
      response: { status: 200, headers: [], bodyBase64: Buffer.alloc(1024 * 1024 + 10, 97).toString("base64") },
    });
    expect(longResponse.status).toBe(201);
    expect(longResponse.body.response).toMatchObject({ bodySize: 1024 * 1024 + 10, truncated: true });
    for (const bad of [
      { kind: "browser", request: { url: "http://localhost/", method: "GET" } },
      { kind: "browser", request: { url: "javascript:alert(1)", method: "GET" }, error: { code: "x", message: "" } },
      { kind: "server", request: { url: "http://localhost/", method: "GET" }, error: { code: "x", message: "" } },
    ]) {
      expect((await member.json("POST", `/api/captures/${id}/attempts`, bad)).status).toBe(422);
    }
    expect(
      (
        await viewer.json("POST", `/api/captures/${id}/attempts`, {
          kind: "browser",
          request: { url: "http://localhost/", method: "GET" },
          error: { code: "x", message: "" },
        })
      ).status,
    ).toBe(403);
    const list = await member.json("GET", `/api/captures/${id}/attempts?kind=browser`);
    expect(list.body.attempts).toHaveLength(3);
  });
});

describe("replay without ALLOWED_FORWARD_SUBNETS", () => {
  let server: TestServer;
  let echo: EchoServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer({ provider: "sqlite" });
    echo = await new EchoServer().start();
    api = new Api(server.url);
  });
  afterAll(async () => {
    await echo?.stop();
    await server?.stop();
  });

  it("refuses a 127.0.0.1 target with 422 target_forbidden naming the address and range, and stores nothing", async () => {
    const ep = await api.createEndpoint({ name: "no allow-list" });
    const id = await rawCapture(server, ep.token, "/x", [["Content-Type", "text/plain"]], Buffer.from("x"));
    for (const url of [
      `${echo.url}/x`,
      `http://localhost:${echo.port}/x`,
      `http://[::1]:${echo.port}/`,
      `http://2130706433:${echo.port}/`,
    ]) {
      const res = await api.json("POST", `/api/captures/${id}/replay`, { url });
      expect(res.status, url).toBe(422);
      expect(res.body.error.code).toBe("target_forbidden");
      expect(res.body.error.message).toMatch(/(127\.0\.0\.1|::1) is a loopback address/);
    }
    expect(echo.received).toHaveLength(0);
    expect((await api.json("GET", `/api/captures/${id}/attempts`)).body.attempts).toEqual([]);
    // A forwarding rule to a loopback literal is refused when saved.
    const rule = await api.json("PUT", `/api/endpoints/${ep.id}/forward`, { url: `${echo.url}/fwd`, enabled: true });
    expect(rule.status).toBe(422);
    expect(rule.body.error.code).toBe("target_forbidden");
  });
});
