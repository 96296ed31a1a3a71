// Accounts: sign-up, next-auth credentials sign-in (with its CSRF token), slow password hashes,
// throttling of failed sign-ins, sign-out, and claiming anonymous endpoints on sign-up/sign-in.
import Database from "better-sqlite3";
import pg from "pg";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

async function queryDb(server: TestServer, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (server.provider === "sqlite") {
    const db = new Database(path.join(server.dataDir, "hookscope.db"), { readonly: true });
    try {
      return db.prepare(sql.replace(/\$\d+/g, "?")).all(...params) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.each(await providers())("accounts (%s)", (provider) => {
  let server: TestServer;
  const email = (name: string) => `${name}-${provider}@example.test`;

  beforeAll(async () => {
    // Every test here signs up from 127.0.0.1; the per-address sign-up limit has its own test below.
    server = await startServer({ provider, env: { SIGNUP_MAX_PER_ADDRESS: "1000" } });
  });
  afterAll(() => server?.stop());

  it("signs up, keeps only an argon2id hash, and signs in through next-auth with its CSRF token", async () => {
    const api = new Api(server.url);
    const password = "Tr0ub4dor&3-plaintext";
    const user = await api.signUp(email("ada"), password, "Ada");
    expect(user).toMatchObject({ email: email("ada"), name: "Ada" });
    expect(user.personalWorkspaceId).toMatch(/^ws_/);

    const rows = await queryDb(server, `SELECT "passwordHash" FROM "User" WHERE email = $1`, [email("ada")]);
    const hash = String(rows[0]!.passwordHash);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain(password);

    const me = await api.json("GET", "/api/me");
    expect(me.body).toMatchObject({ kind: "user", user: { email: email("ada"), name: "Ada" } });
    expect(me.body.workspaces).toEqual([expect.objectContaining({ id: user.personalWorkspaceId, personal: true, role: "owner" })]);
    // The session cookie is httpOnly and SameSite=Lax.
    const again = new Api(server.url);
    const csrf = await again.request("GET", "/api/auth/csrf");
    const { csrfToken } = await csrf.json();
    const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: again.cookie },
      body: new URLSearchParams({ csrfToken, email: email("ada"), password, json: "true" }).toString(),
      redirect: "manual",
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    // Without PUBLIC_URL next-auth runs on relative redirects on purpose: its NEXTAUTH_URL warning
    // would be noise on every start, so it is not printed.
    expect(server.logs.join("")).not.toContain("NEXTAUTH_URL");
  });

  it("refuses a sign-in POST without next-auth's CSRF token", async () => {
    const api = new Api(server.url);
    await api.signUp(email("csrf"));
    const fresh = new Api(server.url);
    const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: email("csrf"), password: "correct horse battery", json: "true" }).toString(),
      redirect: "manual",
    });
    expect(res.headers.getSetCookie().some((c) => c.includes("session-token"))).toBe(false);
    expect((await fresh.json("GET", "/api/me")).body.kind).toBe("none");
  });

  it("validates sign-up input and refuses a taken email", async () => {
    const api = new Api(server.url);
    const short = await api.json("POST", "/api/auth/signup", { email: email("x"), password: "short", name: "X" });
    expect(short.status).toBe(422);
    expect(short.body.error.message).toMatch(/password/);
    expect((await api.json("POST", "/api/auth/signup", { email: "not-an-email", password: "long enough", name: "X" })).status).toBe(422);
    await api.signUp(email("taken"));
    const dup = await new Api(server.url).json("POST", "/api/auth/signup", {
      email: email("TAKEN").toUpperCase(),
      password: "long enough",
      name: "Y",
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("email_taken");
  });

  it("throttles failed sign-ins per account and address with back-off: the attacker's address is slowed, the owner elsewhere is not", async () => {
    const owner = new Api(server.url);
    const user = await owner.signUp(email("target"), "the right password");
    const attacker = new Api(server.url);
    attacker.localAddress = "127.0.0.2";
    for (let i = 0; i < 5; i++) {
      const r = await attacker.signIn(email("target"), `wrong ${i}`);
      expect(r.ok).toBe(false);
      expect(r.error).toBe("CredentialsSignin");
    }
    // From the attacker's address the account now backs off, even for the right password …
    const slowed = await attacker.signIn(email("target"), "the right password");
    expect(slowed.ok).toBe(false);
    expect(slowed.error).toMatch(/^TooManyAttempts:\d+$/);
    const seconds = Number(slowed.error!.split(":")[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(30);
    // … but the owner, from another address (a fresh one, never used before), signs in at once.
    const fromElsewhere = new Api(server.url);
    fromElsewhere.localAddress = "127.0.0.3";
    expect(await fromElsewhere.signIn(email("target"), "the right password")).toMatchObject({ ok: true, error: null });
    expect(await new Api(server.url).signIn(email("target"), "the right password")).toMatchObject({ ok: true, error: null });

    const audit = await owner.json("GET", `/api/workspaces/${user.personalWorkspaceId}/audit?action=auth.sign_in_failed`);
    expect(audit.body.events).toHaveLength(5);
    // An unknown email fails the same way (no account enumeration through the error).
    const unknown = await new Api(server.url).signIn(email("nobody"), "whatever");
    expect(unknown.error).toBe("CredentialsSignin");
  });

  it("a distributed attack on one account is slowed with back-off, never a lock: addresses the owner signed in from still work", async () => {
    const owner = new Api(server.url);
    owner.localAddress = "127.0.0.4";
    await owner.signUp(email("spread"), "the right password");
    // 20 addresses, one wrong password each: no address reaches its own limit.
    for (let i = 0; i < 20; i++) {
      const bot = new Api(server.url);
      bot.localAddress = `127.0.1.${i + 1}`;
      expect((await bot.signIn(email("spread"), `bot guess ${i}`)).error).toBe("CredentialsSignin");
    }
    // The account as a whole now backs off for addresses it has never been used from …
    const fresh = new Api(server.url);
    fresh.localAddress = "127.0.2.1";
    const slowed = await fresh.signIn(email("spread"), "the right password");
    expect(slowed.error).toMatch(/^TooManyAttempts:\d+$/);
    expect(Number(slowed.error!.split(":")[1])).toBeLessThanOrEqual(30);
    // … while the owner's own address (it signed in from there) is not held back by the attacker.
    const again = new Api(server.url);
    again.localAddress = "127.0.0.4";
    expect(await again.signIn(email("spread"), "the right password")).toMatchObject({ ok: true, error: null });
  });

  it("records the address the connection came from, never one a client claims in the internal client-address header", async () => {
    const owner = new Api(server.url);
    const user = await owner.signUp(email("spoofed"), "the right password");
    const attacker = new Api(server.url);
    const csrf = await attacker.request("GET", "/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: attacker.cookie, "x-hookscope-client-ip": "203.0.113.9" },
      body: new URLSearchParams({ csrfToken, email: email("spoofed"), password: "wrong", json: "true" }).toString(),
      redirect: "manual",
    });
    await res.arrayBuffer();
    const audit = await owner.json("GET", `/api/workspaces/${user.personalWorkspaceId}/audit?action=auth.sign_in_failed`);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0].ip).toBe("127.0.0.1");
  });

  it("signs out, and the signed-out session cookie no longer resolves on the server", async () => {
    const api = new Api(server.url);
    await api.signUp(email("leaver"));
    const ep = await api.createEndpoint({ name: "leaver's" });
    const stolen = new Api(server.url);
    stolen.cookie = api.cookie;
    expect((await stolen.json("GET", "/api/me")).body.kind).toBe("user");
    const res = await api.signOut();
    const cleared = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    // The same cookie, kept (or copied) after sign-out, is nobody now.
    expect((await stolen.json("GET", "/api/me")).body).toMatchObject({ kind: "none", user: null });
    expect((await stolen.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    const page = await fetch(`${server.url}/settings`, { headers: { cookie: stolen.cookie }, redirect: "manual" });
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.status).toBeLessThan(400);
    expect(page.headers.get("location")).toMatch(/\/signin\?callbackUrl=%2Fsettings$/);
  });

  it("signs out everywhere: every session of the account ends, other accounts' stay", async () => {
    const laptop = new Api(server.url);
    await laptop.signUp(email("everywhere"));
    const phone = new Api(server.url);
    expect((await phone.signIn(email("everywhere"), "correct horse battery")).ok).toBe(true);
    const bystander = new Api(server.url);
    await bystander.signUp(email("bystander"));

    const res = await phone.request("DELETE", "/api/me/sessions");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sessionsEnded: 2 });
    expect(res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="))).toMatch(/Max-Age=0/i);
    for (const api of [laptop, phone]) expect((await api.json("GET", "/api/me")).body.kind).toBe("none");
    expect((await bystander.json("GET", "/api/me")).body.kind).toBe("user");
    // Without a session there is nothing to end; a token cannot end its owner's sessions.
    expect((await new Api(server.url).request("DELETE", "/api/me/sessions")).status).toBe(404);
    const tok = await bystander.json("POST", "/api/tokens", { name: "script" });
    const script = new Api(server.url);
    script.bearer = tok.body.token;
    const refused = await script.json("DELETE", "/api/me/sessions");
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("session_required");
    expect((await bystander.json("GET", "/api/me")).body.kind).toBe("user");
    // Signing in again works.
    expect((await laptop.signIn(email("everywhere"), "correct horse battery")).ok).toBe(true);
  });

  it("a password change needs the current password and ends the account's other sessions, not this one", async () => {
    const here = new Api(server.url);
    const user = await here.signUp(email("changer"), "old password 1");
    const elsewhere = new Api(server.url);
    expect((await elsewhere.signIn(email("changer"), "old password 1")).ok).toBe(true);

    const wrong = await here.json("PUT", "/api/me/password", { currentPassword: "not it", newPassword: "new password 2" });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("wrong_password");
    const short = await here.json("PUT", "/api/me/password", { currentPassword: "old password 1", newPassword: "short" });
    expect(short.status).toBe(422);
    expect((await elsewhere.json("GET", "/api/me")).body.kind).toBe("user");

    const changed = await here.json("PUT", "/api/me/password", { currentPassword: "old password 1", newPassword: "new password 2" });
    expect(changed).toEqual({ status: 200, body: { sessionsEnded: 1 } });
    expect((await here.json("GET", "/api/me")).body.kind).toBe("user");
    expect((await elsewhere.json("GET", "/api/me")).body.kind).toBe("none");
    expect((await new Api(server.url).signIn(email("changer"), "old password 1")).error).toBe("CredentialsSignin");
    expect((await new Api(server.url).signIn(email("changer"), "new password 2")).ok).toBe(true);
    const audit = await here.json("GET", `/api/workspaces/${user.personalWorkspaceId}/audit?action=auth.password_change`);
    expect(audit.body.events).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain("new password 2");
  });

  it("removal from the last shared workspace ends the removed user's sessions; removal from one of several does not", async () => {
    const owner = new Api(server.url);
    await owner.signUp(email("ws-owner"));
    const staff = new Api(server.url);
    const staffUser = await staff.signUp(email("contractor"));
    const teams: string[] = [];
    for (const name of ["Client A", "Client B"]) {
      const ws = (await owner.json("POST", "/api/workspaces", { name })).body.id as string;
      const inv = await owner.json("POST", `/api/workspaces/${ws}/invites`, { role: "viewer" });
      expect((await staff.json("POST", "/api/invites/accept", { token: inv.body.token })).status).toBe(200);
      teams.push(ws);
    }
    expect((await owner.request("DELETE", `/api/workspaces/${teams[0]}/members/${staffUser.id}`)).status).toBe(204);
    expect((await staff.json("GET", "/api/me")).body.kind).toBe("user");
    expect((await owner.request("DELETE", `/api/workspaces/${teams[1]}/members/${staffUser.id}`)).status).toBe(204);
    expect((await staff.json("GET", "/api/me")).body.kind).toBe("none");
    // The owner's own session is untouched, and the removed user may sign in again (to their personal workspace).
    expect((await owner.json("GET", "/api/me")).body.kind).toBe("user");
    expect((await staff.signIn(email("contractor"), "correct horse battery")).ok).toBe(true);
  });

  it("answers a taken email as slowly as a new one: the same password hashing, the same floor", async () => {
    const api = new Api(server.url);
    await api.signUp(email("timed-taken"));
    const time = async (address: string) => {
      const started = performance.now();
      const res = await api.request("POST", "/api/auth/signup", { email: address, password: "long enough pw", name: "T" });
      await res.arrayBuffer();
      return { ms: performance.now() - started, status: res.status };
    };
    const taken: number[] = [];
    const fresh: number[] = [];
    await time(email("timed-warmup"));
    for (let i = 0; i < 6; i++) {
      const t = await time(email("timed-taken"));
      expect(t.status).toBe(409);
      taken.push(t.ms);
      const f = await time(email(`timed-new-${i}`));
      expect(f.status).toBe(201);
      fresh.push(f.ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `sign-up timing (${provider}): email_taken median ${median(taken).toFixed(1)} ms [${taken.map((x) => x.toFixed(0)).join(", ")}], ` +
        `new median ${median(fresh).toFixed(1)} ms [${fresh.map((x) => x.toFixed(0)).join(", ")}]`,
    );
    // Both run argon2id (19 MiB, t=2: tens of milliseconds here), and both answer no sooner than
    // 200 ms after they started (SIGNUP_MIN_MS), which covers the new account's inserts; a taken
    // email answering far faster than a new one means it skipped that work.
    expect(median(taken)).toBeGreaterThanOrEqual(190);
    expect(median(taken)).toBeGreaterThan(median(fresh) * 0.6);
  });

  it("claims a visitor's anonymous endpoints on sign-up: they join the personal workspace and stop expiring", async () => {
    const visitor = new Api(server.url);
    const ep = await visitor.createEndpoint({ name: "before sign-up" });
    const anon = await visitor.json("GET", `/api/endpoints/${ep.id}`);
    expect(anon.body.expiresAt).not.toBeNull();
    expect(anon.body.workspaceId).toBeNull();
    await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "kept" });

    const user = await visitor.signUp(email("claimer"));
    const claimed = await visitor.json("GET", `/api/endpoints/${ep.id}`);
    expect(claimed.body).toMatchObject({ workspaceId: user.personalWorkspaceId, expiresAt: null, role: "owner" });
    expect((await visitor.captures(ep.id)).captures).toHaveLength(1);
    const audit = await visitor.json("GET", `/api/workspaces/${user.personalWorkspaceId}/audit?action=endpoint.claim`);
    expect(audit.body.events[0].detail.endpoints).toEqual([ep.id]);
  });

  it("claims on a later password sign-in too", async () => {
    const account = new Api(server.url);
    await account.signUp(email("returning"), "returning password");
    const visitor = new Api(server.url);
    const ep = await visitor.createEndpoint({ name: "made while signed out" });
    const r = await visitor.signIn(email("returning"), "returning password");
    expect(r.ok).toBe(true);
    const got = await account.json("GET", `/api/endpoints/${ep.id}`);
    expect(got.status).toBe(200);
    expect(got.body.expiresAt).toBeNull();
  });

  it("claims on request when a session and an anonymous cookie meet (the OAuth path), and GETs do not claim", async () => {
    const account = new Api(server.url);
    const user = await account.signUp(email("oauthish"));
    const visitor = new Api(server.url);
    const ep = await visitor.createEndpoint({ name: "anonymous first" });
    // The browser now holds both cookies, as after an OAuth round trip.
    visitor.cookie = `${visitor.cookie}; ${account.cookie}`;
    expect((await visitor.json("GET", "/api/me")).body.anonymousEndpoints).toBe(1);
    await visitor.json("GET", "/api/endpoints");
    expect((await account.json("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    const claim = await visitor.json("POST", "/api/auth/claim");
    expect(claim.body).toEqual({ claimed: 1 });
    const got = await account.json("GET", `/api/endpoints/${ep.id}`);
    expect(got.body).toMatchObject({ workspaceId: user.personalWorkspaceId, expiresAt: null });
    expect((await visitor.json("GET", "/api/me")).body.anonymousEndpoints).toBe(0);
    // Someone without a session cannot claim.
    expect((await new Api(server.url).request("POST", "/api/auth/claim")).status).toBe(404);
    const anon = new Api(server.url);
    await anon.createEndpoint({});
    expect((await anon.request("POST", "/api/auth/claim")).status).toBe(403);
  });

  it("creates endpoints in the personal workspace by default once signed in", async () => {
    const api = new Api(server.url);
    const user = await api.signUp(email("creator"));
    const ep = await api.json("POST", "/api/endpoints", { name: "kept" });
    expect(ep.status).toBe(201);
    expect(ep.body).toMatchObject({ workspaceId: user.personalWorkspaceId, expiresAt: null, role: "owner" });
    expect(ep.body.redaction).toEqual({ rules: [], atIngest: false });
  });
});

describe("sign-up throttling per address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SIGNUP_MAX_PER_ADDRESS: "3" } });
  });
  afterAll(() => server?.stop());

  it("answers 429 with Retry-After and a clear message past the limit, for taken and new emails alike; other addresses are not affected", async () => {
    const flood = new Api(server.url);
    flood.localAddress = "127.0.0.5";
    const signUp = (api: Api, address: string) =>
      api.json("POST", "/api/auth/signup", { email: address, password: "long enough pw", name: "F" });
    expect((await signUp(flood, "first@example.test")).status).toBe(201);
    expect((await signUp(flood, "first@example.test")).status).toBe(409);
    expect((await signUp(flood, "second@example.test")).status).toBe(201);
    for (const address of ["third@example.test", "first@example.test"]) {
      const res = await flood.request("POST", "/api/auth/signup", { email: address, password: "long enough pw", name: "F" });
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("too_many_signups");
      expect(body.error.message).toMatch(/Too many sign-ups from your address.*try again in \d+ (minute|second)/i);
    }
    // The refused sign-up created nothing; another address signs up as usual.
    const other = new Api(server.url);
    other.localAddress = "127.0.0.6";
    expect((await other.signIn("third@example.test", "long enough pw")).ok).toBe(false);
    expect((await signUp(other, "third@example.test")).status).toBe(201);
  });
});
