// Live stream: Server-Sent Events of new captures, resumable with Last-Event-ID.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** A minimal SSE client over node:http (so tests control Last-Event-ID and see raw frames). */
function openStream(url: string, headers: Record<string, string>) {
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let status = 0;
  let contentEncoding: string | undefined;
  let endedAt = 0;
  const req = http.get(url, { headers: { accept: "text/event-stream", ...headers } });
  const opened = new Promise<void>((resolve, reject) => {
    req.on("response", (res) => {
      status = res.statusCode ?? 0;
      contentEncoding = res.headers["content-encoding"];
      let buf = "";
      res.setEncoding("utf8");
      res.on("end", () => {
        endedAt = Date.now();
        for (const w of waiters.splice(0)) w();
      });
      res.on("data", (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: SseEvent = {};
          for (const line of frame.split("\n")) {
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) ev[m[1] as keyof SseEvent] = m[2];
          }
          if (ev.event || ev.data) {
            events.push(ev);
            for (const w of waiters.splice(0)) w();
          }
        }
      });
      resolve();
    });
    req.on("error", reject);
  });
  const captures = () => events.filter((e) => e.event === "capture").map((e) => ({ seq: Number(e.id), ...JSON.parse(e.data!) }));
  return {
    opened,
    events,
    captures,
    get status() {
      return status;
    },
    get contentEncoding() {
      return contentEncoding;
    },
    get endedAt() {
      return endedAt;
    },
    async until(pred: () => boolean, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`stream wait timed out; have ${events.length} events`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => req.destroy(),
  };
}

describe.each(await providers())("live stream (%s)", (provider) => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer({ provider });
    api = new Api(server.url);
  });
  afterAll(() => server?.stop());

  const capture = (token: string, path: string) =>
    fetch(`${server.url}/in/${token}${path}`, { method: "POST", body: path }).then((r) => {
      expect(r.status).toBe(200);
      return r.json() as Promise<{ captureId: string }>;
    });

  it("delivers a new capture at once, uncompressed, with its sequence as the event id", async () => {
    const ep = await api.createEndpoint();
    const s = openStream(`${server.url}/api/endpoints/${ep.id}/stream`, { cookie: api.cookie, "accept-encoding": "gzip, br" });
    await s.opened;
    expect(s.status).toBe(200);
    expect(s.contentEncoding).toBeUndefined();
    await s.until(() => s.events.some((e) => e.event === "ready"));
    const started = Date.now();
    const { captureId } = await capture(ep.token, "/first");
    await s.until(() => s.captures().length === 1, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    const [c] = s.captures();
    expect(c.id).toBe(captureId);
    expect(c.path).toBe("/first");
    expect(c.seq).toBe(c.seq);
    expect(String(c.seq)).toBe(s.events.find((e) => e.event === "capture")!.id);
    s.close();
  });

  it("after a disconnect, replays exactly the 50 missed captures in order, then live ones", async () => {
    const ep = await api.createEndpoint();
    const first = openStream(`${server.url}/api/endpoints/${ep.id}/stream`, { cookie: api.cookie });
    await first.opened;
    await first.until(() => first.events.some((e) => e.event === "ready"));
    await capture(ep.token, "/before");
    await first.until(() => first.captures().length === 1);
    const lastSeen = first.captures()[0].seq;
    first.close();

    const missed: string[] = [];
    for (let i = 0; i < 50; i++) missed.push((await capture(ep.token, `/missed-${i}`)).captureId);
    // Captures of another endpoint in the gap must not leak into this stream.
    const other = await api.createEndpoint();
    await capture(other.token, "/other-endpoint");

    const second = openStream(`${server.url}/api/endpoints/${ep.id}/stream`, { cookie: api.cookie, "last-event-id": String(lastSeen) });
    await second.opened;
    await second.until(() => second.captures().length >= 50);
    await second.until(() => second.events.some((e) => e.event === "ready"));
    const replayed = second.captures();
    expect(replayed.map((c) => c.id)).toEqual(missed);
    const seqs = replayed.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(50);

    const live = await capture(ep.token, "/live-after-resume");
    await second.until(() => second.captures().length === 51);
    expect(second.captures()[50].id).toBe(live.captureId);
    expect(second.captures().filter((c) => c.path === "/other-endpoint")).toEqual([]);
    second.close();
  });

  it("keeps every capture when many arrive while the client is replaying", async () => {
    const ep = await api.createEndpoint();
    for (let i = 0; i < 20; i++) await capture(ep.token, `/old-${i}`);
    const s = openStream(`${server.url}/api/endpoints/${ep.id}/stream`, { cookie: api.cookie, "last-event-id": "0" });
    const concurrent = Promise.all(Array.from({ length: 30 }, (_, i) => capture(ep.token, `/during-${i}`)));
    await s.opened;
    await concurrent;
    await s.until(() => s.captures().length >= 50);
    await new Promise((r) => setTimeout(r, 300));
    const seqs = s.captures().map((c) => c.seq);
    expect(seqs.length).toBe(50);
    expect(new Set(seqs).size).toBe(50);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    s.close();
  });

  it("refuses the stream of an endpoint the caller does not own", async () => {
    const ep = await api.createEndpoint();
    const stranger = new Api(server.url);
    await stranger.createEndpoint();
    const res = await stranger.request("GET", `/api/endpoints/${ep.id}/stream`);
    expect(res.status).toBe(404);
  });
});

describe("live stream lifetime", () => {
  it("closes a stream after SSE_MAX_AGE_MS, and a resume with Last-Event-ID misses nothing", async () => {
    const server = await startServer({ env: { SSE_MAX_AGE_MS: "1500" } });
    try {
      const api = new Api(server.url);
      const ep = await api.createEndpoint();
      const opened = Date.now();
      const s = openStream(`${server.url}/api/endpoints/${ep.id}/stream`, { cookie: api.cookie });
      await s.opened;
      await s.until(() => s.events.some((e) => e.event === "ready"));
      await s.until(() => s.endedAt > 0, 5000);
      expect(s.endedAt - opened).toBeGreaterThanOrEqual(1400);
      expect(s.endedAt - opened).toBeLessThan(4000);
      const sent = await fetch(`${server.url}/in/${ep.token}/in-the-gap`, { method: "POST", body: "x" }).then((r) => r.json());
      const resumed = openStream(`${server.url}/api/endpoints/${ep.id}/stream`, { cookie: api.cookie, "last-event-id": "0" });
      await resumed.opened;
      await resumed.until(() => resumed.captures().length === 1);
      expect(resumed.captures()[0].id).toBe(sent.captureId);
      resumed.close();
    } finally {
      await server.stop();
    }
  });
});

// A stream is authorized on subscribe and then re-checked (like a share link's, every 5 s): when
// the credential it was opened with stops granting the endpoint, it ends with an `access_ended`
// event that says why, then closes (the REST API already answers 404 by then).
describe.each(await providers())("live stream after access ends (%s)", (provider) => {
  let server: TestServer;
  const RECHECK_BOUND_MS = 6500;

  beforeAll(async () => {
    server = await startServer({ provider });
  });
  afterAll(() => server?.stop());

  const email = (name: string) => `${name}-${provider}@example.test`;
  const capture = (token: string, path: string) =>
    fetch(`${server.url}/in/${token}${path}`, { method: "POST", body: path }).then((r) => {
      expect(r.status).toBe(200);
      return r.json() as Promise<{ captureId: string }>;
    });
  const ended = (s: ReturnType<typeof openStream>) => {
    const ev = s.events.find((e) => e.event === "access_ended");
    return ev ? (JSON.parse(ev.data!) as { reason: string; message: string }) : null;
  };

  async function liveStream(endpointId: string, headers: Record<string, string>) {
    const s = openStream(`${server.url}/api/endpoints/${endpointId}/stream`, headers);
    await s.opened;
    expect(s.status).toBe(200);
    await s.until(() => s.events.some((e) => e.event === "ready"));
    return s;
  }

  it("a viewer token's stream ends with token_revoked within ~5 s of the revocation", async () => {
    const owner = new Api(server.url);
    await owner.signUp(email("token-owner"));
    const ep = await owner.createEndpoint({ name: "watched by a token" });
    const tok = await owner.json("POST", "/api/tokens", { name: "support viewer", role: "viewer" });
    expect(tok.status).toBe(201);
    const s = await liveStream(ep.id, { authorization: `Bearer ${tok.body.token}` });
    await capture(ep.token, "/before");
    await s.until(() => s.captures().length === 1);

    const revokedAt = Date.now();
    expect((await owner.request("DELETE", `/api/tokens/${tok.body.id}`)).status).toBe(204);
    await s.until(() => s.endedAt > 0, RECHECK_BOUND_MS + 2000);
    expect(s.endedAt - revokedAt).toBeLessThan(RECHECK_BOUND_MS);
    expect(ended(s)).toMatchObject({ reason: "token_revoked", message: expect.stringMatching(/token/i) });
    // The event is the last thing on the stream.
    expect(s.events.at(-1)?.event).toBe("access_ended");
    const script = new Api(server.url);
    script.bearer = tok.body.token;
    expect((await script.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
  });

  it("a removed member's stream ends with access_revoked", async () => {
    const owner = new Api(server.url);
    await owner.signUp(email("team-owner"));
    const member = new Api(server.url);
    const memberUser = await member.signUp(email("removed-member"));
    // Two shared workspaces: removal from one leaves the member's session alive (see accounts.test.ts).
    const [team, other] = await Promise.all(
      ["Streamed team", "Other team"].map(async (name) => (await owner.json("POST", "/api/workspaces", { name })).body.id as string),
    );
    for (const ws of [team, other]) {
      const inv = await owner.json("POST", `/api/workspaces/${ws}/invites`, { role: "member" });
      expect((await member.json("POST", "/api/invites/accept", { token: inv.body.token })).status).toBe(200);
    }
    const ep = await owner.createEndpoint({ name: "team endpoint", workspaceId: team });
    const s = await liveStream(ep.id, { cookie: member.cookie });
    await capture(ep.token, "/while-member");
    await s.until(() => s.captures().length === 1);

    const removedAt = Date.now();
    expect((await owner.request("DELETE", `/api/workspaces/${team}/members/${memberUser.id}`)).status).toBe(204);
    await s.until(() => s.endedAt > 0, RECHECK_BOUND_MS + 2000);
    expect(s.endedAt - removedAt).toBeLessThan(RECHECK_BOUND_MS);
    expect(ended(s)).toMatchObject({ reason: "access_revoked" });
    expect((await member.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    expect((await member.json("GET", "/api/me")).body.kind).toBe("user");
  });

  it("signing out ends the streams opened with that session (session_ended)", async () => {
    const user = new Api(server.url);
    await user.signUp(email("signs-out"));
    const ep = await user.createEndpoint({ name: "mine" });
    const s = await liveStream(ep.id, { cookie: user.cookie });
    const signedOutAt = Date.now();
    await user.signOut();
    await s.until(() => s.endedAt > 0, RECHECK_BOUND_MS + 2000);
    expect(s.endedAt - signedOutAt).toBeLessThan(RECHECK_BOUND_MS);
    expect(ended(s)).toMatchObject({ reason: "session_ended" });
  });

  it("a stream whose access still holds keeps going past the re-check", async () => {
    const user = new Api(server.url);
    await user.signUp(email("stays"));
    const ep = await user.createEndpoint({ name: "still mine" });
    const s = await liveStream(ep.id, { cookie: user.cookie });
    await new Promise((r) => setTimeout(r, RECHECK_BOUND_MS));
    await capture(ep.token, "/after-recheck");
    await s.until(() => s.captures().length === 1);
    expect(s.endedAt).toBe(0);
    expect(ended(s)).toBeNull();
    s.close();
  });
});
