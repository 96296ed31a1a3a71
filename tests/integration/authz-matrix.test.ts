// Authorization matrix over every API route and action: for each workspace role (owner, admin,
// member, viewer), an API token with the viewer role, a stranger (signed in, other workspace) and
// an anonymous visitor, allowed actions succeed and the rest get 404 (outside the workspace) or
// 403 insufficient_role (a member whose role is too low). Every route file under app/api must
// appear here (or in the list of routes tested elsewhere), so a new route cannot skip the matrix.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, root, startServer, type TestServer } from "../helpers/server";
import { EchoServer } from "../helpers/echo-server";

type Actor = "owner" | "admin" | "member" | "viewer" | "viewerToken" | "stranger" | "anonymous";
const ACTORS: Actor[] = ["owner", "admin", "member", "viewer", "viewerToken", "stranger", "anonymous"];
const RANK: Record<string, number> = { viewer: 0, viewerToken: 0, member: 1, admin: 2, owner: 3 };
const IN_WORKSPACE = new Set<Actor>(["owner", "admin", "member", "viewer", "viewerToken"]);

interface Ctx {
  ws: string;
  endpoint: string;
  capture: string;
  shareLink: string;
  /** A replay of `capture` (to the local echo server) and that server's URL. */
  attempt: string;
  echoUrl: string;
  userIds: Record<string, string>;
  fresh: {
    endpoint(): Promise<string>;
    capture(): Promise<string>;
    shareLink(): Promise<string>;
    invite(): Promise<{ id: string; token: string }>;
    secret(): Promise<string>;
    replayTarget(): Promise<string>;
    /** A saved view of the endpoint ("e") or of the workspace ("w"), made by the owner. */
    view(scope: "e" | "w"): Promise<string>;
  };
}

interface Case {
  /** "METHOD /api/route/[param]" exactly as the route file's path. */
  route: string;
  /** Lowest role allowed; "session" = any signed-in user acting in their own right. */
  needs: "viewer" | "member" | "admin" | "owner";
  call(api: Api, c: Ctx): Promise<Response>;
  ok: number;
  note?: string;
}

const j = (api: Api, method: string, p: string, body?: unknown) => api.request(method, p, body);

let viewNames = 0;
const viewName = () => `view ${++viewNames}`;

const CASES: Case[] = [
  { route: "GET /api/endpoints/[id]/fields", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/fields`) },
  ...(["endpoints", "workspaces"] as const).flatMap((kind): Case[] => {
    const base = (c: Ctx) => `/api/${kind}/${kind === "endpoints" ? c.endpoint : c.ws}/views`;
    const scope = kind === "endpoints" ? "e" : "w";
    return [
      { route: `GET /api/${kind}/[id]/views`, needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", base(c)) },
      {
        route: `POST /api/${kind}/[id]/views`,
        needs: "member",
        ok: 201,
        call: (a, c) => j(a, "POST", base(c), { name: viewName(), query: "method:POST" }),
      },
      {
        route: `PATCH /api/${kind}/[id]/views/[viewId]`,
        needs: "member",
        ok: 200,
        call: async (a, c) => j(a, "PATCH", `${base(c)}/${await c.fresh.view(scope)}`, { name: viewName() }),
      },
      {
        route: `DELETE /api/${kind}/[id]/views/[viewId]`,
        needs: "member",
        ok: 204,
        call: async (a, c) => j(a, "DELETE", `${base(c)}/${await c.fresh.view(scope)}`),
      },
    ];
  }),
  { route: "GET /api/endpoints/[id]", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}`) },
  {
    route: "PATCH /api/endpoints/[id]",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "PATCH", `/api/endpoints/${c.endpoint}`, { name: "renamed" }),
  },
  {
    route: "DELETE /api/endpoints/[id]",
    needs: "member",
    ok: 204,
    call: async (a, c) => j(a, "DELETE", `/api/endpoints/${await c.fresh.endpoint()}`),
  },
  {
    route: "GET /api/endpoints/[id]/captures",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/captures`),
  },
  {
    route: "DELETE /api/endpoints/[id]/captures",
    needs: "member",
    ok: 200,
    call: async (a, c) => j(a, "DELETE", `/api/endpoints/${await c.fresh.endpoint()}/captures`),
  },
  {
    route: "GET /api/endpoints/[id]/captures/count",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/captures/count?q=method:POST`),
  },
  {
    route: "POST /api/endpoints/[id]/captures/delete",
    needs: "member",
    ok: 200,
    call: async (a, c) => j(a, "POST", `/api/endpoints/${await c.fresh.endpoint()}/captures/delete`, { q: "method:POST" }),
  },
  {
    route: "GET /api/endpoints/[id]/stream",
    needs: "viewer",
    ok: 200,
    call: async (a, c) => {
      const ctrl = new AbortController();
      const res = await fetch(`${a.base}/api/endpoints/${c.endpoint}/stream`, {
        headers: a.bearer ? { authorization: `Bearer ${a.bearer}` } : { cookie: a.cookie },
        signal: ctrl.signal,
      });
      const copy = res.status === 200 ? new Response(null, { status: 200 }) : new Response(await res.text(), { status: res.status });
      ctrl.abort();
      return copy;
    },
  },
  {
    route: "GET /api/endpoints/[id]/share-links",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/share-links`),
  },
  {
    route: "POST /api/endpoints/[id]/share-links",
    needs: "member",
    ok: 201,
    call: (a, c) => j(a, "POST", `/api/endpoints/${c.endpoint}/share-links`, {}),
  },
  { route: "GET /api/captures/[id]", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/captures/${c.capture}`) },
  {
    route: "GET /api/captures/[id] ?reveal=1",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/captures/${c.capture}?reveal=1`),
  },
  {
    route: "DELETE /api/captures/[id]",
    needs: "member",
    ok: 204,
    call: async (a, c) => j(a, "DELETE", `/api/captures/${await c.fresh.capture()}`),
  },
  { route: "GET /api/captures/[id]/body", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/captures/${c.capture}/body`) },
  {
    route: "GET /api/captures/[id]/body ?download=1",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/captures/${c.capture}/body?download=1`),
  },
  {
    route: "GET /api/captures/[id]/body ?reveal=1",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/captures/${c.capture}/body?reveal=1`),
  },
  {
    route: "DELETE /api/share-links/[id]",
    needs: "member",
    ok: 204,
    call: async (a, c) => j(a, "DELETE", `/api/share-links/${await c.fresh.shareLink()}`),
  },
  { route: "GET /api/workspaces/[id]", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/workspaces/${c.ws}`) },
  {
    route: "GET /api/workspaces/[id]/captures",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/workspaces/${c.ws}/captures?q=method:POST`),
  },
  {
    route: "PATCH /api/workspaces/[id]",
    needs: "admin",
    ok: 200,
    call: (a, c) => j(a, "PATCH", `/api/workspaces/${c.ws}`, { name: "Team" }),
  },
  { route: "GET /api/workspaces/[id]/members", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/workspaces/${c.ws}/members`) },
  {
    route: "PATCH /api/workspaces/[id]/members/[userId]",
    needs: "admin",
    ok: 200,
    call: (a, c) => j(a, "PATCH", `/api/workspaces/${c.ws}/members/${c.userIds.viewer}`, { role: "viewer" }),
  },
  { route: "GET /api/workspaces/[id]/invites", needs: "admin", ok: 200, call: (a, c) => j(a, "GET", `/api/workspaces/${c.ws}/invites`) },
  {
    route: "POST /api/workspaces/[id]/invites",
    needs: "admin",
    ok: 201,
    call: (a, c) => j(a, "POST", `/api/workspaces/${c.ws}/invites`, { role: "viewer" }),
  },
  {
    route: "DELETE /api/invites/[id]",
    needs: "admin",
    ok: 204,
    call: async (a, c) => j(a, "DELETE", `/api/invites/${(await c.fresh.invite()).id}`),
  },
  { route: "GET /api/workspaces/[id]/audit", needs: "admin", ok: 200, call: (a, c) => j(a, "GET", `/api/workspaces/${c.ws}/audit`) },
  {
    route: "POST /api/captures/[id]/verify",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "POST", `/api/captures/${c.capture}/verify`, { secret: "whsec_one_off" }),
  },
  {
    route: "POST /api/captures/[id]/verify ?reveal",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "POST", `/api/captures/${c.capture}/verify`, { reveal: true }),
  },
  {
    route: "GET /api/endpoints/[id]/signature-secrets",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/signature-secrets`),
  },
  {
    route: "POST /api/endpoints/[id]/signature-secrets",
    needs: "member",
    ok: 201,
    call: (a, c) =>
      j(a, "POST", `/api/endpoints/${c.endpoint}/signature-secrets`, { provider: "stripe", label: "matrix", secret: "whsec_matrix" }),
  },
  {
    route: "DELETE /api/endpoints/[id]/signature-secrets/[secretId]",
    needs: "member",
    ok: 204,
    call: async (a, c) => j(a, "DELETE", `/api/endpoints/${c.endpoint}/signature-secrets/${await c.fresh.secret()}`),
  },
  {
    route: "GET /api/endpoints/[id]/signature-checks",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/signature-checks`),
  },
  {
    route: "POST /api/endpoints/[id]/signature-checks",
    needs: "member",
    ok: 202,
    call: (a, c) => j(a, "POST", `/api/endpoints/${c.endpoint}/signature-checks`),
  },
  {
    route: "POST /api/captures/[id]/replay",
    needs: "member",
    ok: 201,
    call: (a, c) => j(a, "POST", `/api/captures/${c.capture}/replay`, { url: `${c.echoUrl}/matrix` }),
  },
  {
    route: "GET /api/captures/[id]/attempts",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/captures/${c.capture}/attempts`),
  },
  {
    route: "POST /api/captures/[id]/attempts",
    needs: "member",
    ok: 201,
    call: (a, c) =>
      j(a, "POST", `/api/captures/${c.capture}/attempts`, {
        kind: "browser",
        request: { url: "http://localhost:3000/hooks", method: "POST" },
        error: { code: "cors_blocked", message: "CORS" },
      }),
  },
  {
    route: "POST /api/captures/[id]/diff-request",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "POST", `/api/captures/${c.capture}/diff-request`, { method: "PUT" }),
  },
  { route: "GET /api/attempts/[id]", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/attempts/${c.attempt}`) },
  {
    route: "GET /api/attempts/[id] ?reveal=1",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/attempts/${c.attempt}?reveal=1`),
  },
  { route: "GET /api/attempts/[id]/body", needs: "viewer", ok: 200, call: (a, c) => j(a, "GET", `/api/attempts/${c.attempt}/body`) },
  {
    route: "GET /api/attempts/diff",
    needs: "viewer",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/attempts/diff?a=${c.attempt}&b=${c.attempt}`),
  },
  {
    route: "GET /api/endpoints/[id]/replay-targets",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/replay-targets`),
  },
  {
    route: "POST /api/endpoints/[id]/replay-targets",
    needs: "member",
    ok: 201,
    call: (a, c) =>
      j(a, "POST", `/api/endpoints/${c.endpoint}/replay-targets`, { url: "https://staging.example.test/hooks", label: "staging" }),
  },
  {
    route: "DELETE /api/replay-targets/[id]",
    needs: "member",
    ok: 204,
    call: async (a, c) => j(a, "DELETE", `/api/replay-targets/${await c.fresh.replayTarget()}`),
  },
  {
    route: "GET /api/endpoints/[id]/forward",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "GET", `/api/endpoints/${c.endpoint}/forward`),
  },
  {
    route: "PUT /api/endpoints/[id]/forward",
    needs: "member",
    ok: 200,
    call: (a, c) => j(a, "PUT", `/api/endpoints/${c.endpoint}/forward`, { url: `${c.echoUrl}/fwd`, enabled: false }),
  },
  {
    route: "DELETE /api/endpoints/[id]/forward",
    needs: "member",
    ok: 204,
    call: (a, c) => j(a, "DELETE", `/api/endpoints/${c.endpoint}/forward`),
  },
  {
    route: "POST /api/endpoints",
    needs: "member",
    ok: 201,
    call: (a, c) => j(a, "POST", "/api/endpoints", { name: "in team", workspaceId: c.ws }),
  },
];

/**
 * Routes whose access is not "a workspace role": each is covered by the named test instead.
 * (Kept short and explicit: a new route must be added to CASES or here, with its test.)
 */
const COVERED_ELSEWHERE: Record<string, string> = {
  "GET /api/endpoints": "this file: lists only the caller's workspaces",
  "GET /api/workspaces": "this file: lists only the caller's workspaces",
  "POST /api/workspaces": "this file: signed-in users only",
  "DELETE /api/workspaces/[id]": "this file: owner only",
  "DELETE /api/workspaces/[id]/members/[userId]": "this file: admin removes, anyone leaves",
  "POST /api/invites/accept": "this file: single use",
  "POST /api/invites/preview": "this file: single use",
  "GET /api/tokens": "this file: tokens",
  "POST /api/tokens": "this file: tokens",
  "DELETE /api/tokens": "this file: tokens",
  "DELETE /api/tokens/[id]": "this file: tokens",
  "GET /api/me": "this file: who am I",
  "DELETE /api/me/sessions": "accounts.test.ts (sign out everywhere: the caller's own sessions; a token is refused)",
  "PUT /api/me/password": "accounts.test.ts (the caller's own password, checked first)",
  "POST /api/auth/signup": "accounts.test.ts",
  "POST /api/auth/claim": "accounts.test.ts (claims only the caller's own anonymous endpoints)",
  "GET /api/auth/[...nextauth]": "accounts.test.ts (next-auth's own routes)",
  "POST /api/auth/[...nextauth]": "accounts.test.ts (next-auth's own routes)",
  "GET /api/share/[token]": "share-links.test.ts",
  "GET /api/share/[token]/captures": "share-links.test.ts",
  "GET /api/share/[token]/captures/[captureId]": "share-links.test.ts",
  "GET /api/share/[token]/captures/[captureId]/body": "share-links.test.ts",
  "GET /api/share/[token]/stream": "share-links.test.ts",
  "GET /api/signature-providers": "signatures.test.ts (the static provider table; no caller needed)",
  "GET /api/jobs/[id]": "jobs.test.ts (the job's scope: viewers see it, strangers and other owners get 404)",
  "GET /api/jobs/[id]/stream": "jobs.test.ts (the job's scope, checked on open and at every read)",
  "POST /api/jobs/[id]/cancel": "jobs.test.ts (capture.delete on the scope: viewers 403, strangers 404)",
};

/** Every "METHOD /api/…" pair the app serves, read from the route files. */
function discoverRoutes(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") {
        const source = readFileSync(full, "utf8");
        const methods = new Set<string>();
        for (const m of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1]!);
        for (const m of source.matchAll(/\bas (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1]!);
        const route = `/${path.relative(path.join(root, "app"), path.dirname(full)).split(path.sep).join("/")}`;
        for (const method of methods) found.push(`${method} ${route}`);
      }
    }
  };
  walk(path.join(root, "app/api"));
  return found.sort();
}

it("covers every API route (a new route must join the matrix)", () => {
  const covered = new Set([...CASES.map((c) => c.route.split(" ?")[0]!), ...Object.keys(COVERED_ELSEWHERE)]);
  const missing = discoverRoutes().filter((r) => !covered.has(r));
  expect(missing).toEqual([]);
});

function expected(actor: Actor, needs: Case["needs"], ok: number): number {
  if (!IN_WORKSPACE.has(actor)) return 404;
  return RANK[actor]! >= RANK[needs]! ? ok : 403;
}

async function send(api: Api, token: string, body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.base}/in/${token}/hook?x=1`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { captureId: string }).captureId;
}

describe.each(await providers())("authorization matrix (%s)", (provider) => {
  let server: TestServer;
  const api = {} as Record<Actor, Api>;
  const ctx = {} as Ctx;
  let endpointToken = "";
  // The replay target: loopback, allowed for this server only.
  let echo: EchoServer;

  beforeAll(async () => {
    echo = await new EchoServer().start();
    ctx.echoUrl = echo.url;
    server = await startServer({ provider, env: { ALLOWED_FORWARD_SUBNETS: "127.0.0.0/8" } });
    for (const actor of ACTORS) api[actor] = new Api(server.url);
    const users: Record<string, { id: string }> = {};
    for (const actor of ["owner", "admin", "member", "viewer", "stranger"] as const) {
      users[actor] = await api[actor].signUp(`${actor}-${provider}@example.test`);
    }
    const ws = await api.owner.json("POST", "/api/workspaces", { name: "Acme support" });
    expect(ws.status).toBe(201);
    ctx.ws = ws.body.id;
    for (const role of ["admin", "member", "viewer"] as const) {
      const inv = await api.owner.json("POST", `/api/workspaces/${ctx.ws}/invites`, { role });
      expect(inv.status).toBe(201);
      const acc = await api[role].json("POST", "/api/invites/accept", { token: inv.body.token });
      expect(acc.body).toEqual({ workspaceId: ctx.ws, role });
    }
    ctx.userIds = Object.fromEntries(Object.entries(users).map(([k, v]) => [k, v.id]));
    const tok = await api.owner.json("POST", "/api/tokens", { name: "support script", workspaceId: ctx.ws, role: "viewer" });
    expect(tok.status).toBe(201);
    api.viewerToken.bearer = tok.body.token;
    await api.anonymous.createEndpoint({ name: "anonymous one" });
    await api.stranger.createEndpoint({ name: "stranger's" });

    const ep = await api.member.createEndpoint({ name: "Stripe prod", workspaceId: ctx.ws });
    ctx.endpoint = ep.id;
    endpointToken = ep.token;
    ctx.capture = await send(api.member, endpointToken, '{"a":1}', { authorization: "Bearer SECRET123" });
    ctx.shareLink = (await api.member.json("POST", `/api/endpoints/${ctx.endpoint}/share-links`, {})).body.id;
    ctx.attempt = (await api.member.json("POST", `/api/captures/${ctx.capture}/replay`, { url: `${echo.url}/setup` })).body.id;
    ctx.fresh = {
      endpoint: async () => (await api.owner.createEndpoint({ name: "throwaway", workspaceId: ctx.ws })).id,
      capture: async () => send(api.owner, endpointToken, "{}"),
      shareLink: async () => (await api.owner.json("POST", `/api/endpoints/${ctx.endpoint}/share-links`, {})).body.id,
      invite: async () => (await api.owner.json("POST", `/api/workspaces/${ctx.ws}/invites`, { role: "viewer" })).body,
      secret: async () =>
        (
          await api.owner.json("POST", `/api/endpoints/${ctx.endpoint}/signature-secrets`, {
            provider: "github",
            label: "fresh",
            secret: "gh-fresh",
          })
        ).body.id,
      replayTarget: async () =>
        (await api.owner.json("POST", `/api/endpoints/${ctx.endpoint}/replay-targets`, { url: "https://fresh.example.test/" })).body.id,
      view: async (scope) =>
        (
          await api.owner.json("POST", `/api/${scope === "e" ? `endpoints/${ctx.endpoint}` : `workspaces/${ctx.ws}`}/views`, {
            name: viewName(),
            query: "status:>=500",
          })
        ).body.id,
    };
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await echo?.stop();
  });

  it("a refused replay sends nothing", async () => {
    const before = echo.received.length;
    for (const actor of ["viewer", "viewerToken", "stranger", "anonymous"] as const) {
      const res = await api[actor].request("POST", `/api/captures/${ctx.capture}/replay`, { url: `${echo.url}/refused` });
      expect([403, 404]).toContain(res.status);
    }
    expect(echo.received.length).toBe(before);
    const allowed = await api.member.request("POST", `/api/captures/${ctx.capture}/replay`, { url: `${echo.url}/allowed` });
    expect(allowed.status).toBe(201);
    expect(echo.received.length).toBe(before + 1);
  });

  it.each(CASES.map((c) => [c.route, c] as const))("%s", async (_name, c) => {
    const results: Record<string, number> = {};
    const wanted: Record<string, number> = {};
    for (const actor of ACTORS) {
      const res = await c.call(api[actor], ctx);
      results[actor] = res.status;
      wanted[actor] = expected(actor, c.needs, c.ok);
      if (res.status === 403) {
        // A refusal for a lower role names the problem; it never says "not found".
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("insufficient_role");
      } else if (res.status === 404) {
        const text = await res.text();
        // Nothing of the resource leaks into a 404.
        expect(text).not.toContain("Stripe prod");
        expect(text).not.toContain("SECRET123");
      } else {
        await res.body?.cancel().catch(() => {});
      }
    }
    expect(results).toEqual(wanted);
  });

  it("the SSE stream of another workspace's endpoint is refused before any event", async () => {
    const res = await fetch(`${server.url}/api/endpoints/${ctx.endpoint}/stream`, { headers: { cookie: api.stranger.cookie } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  it("lists only the caller's workspaces and endpoints", async () => {
    for (const actor of ["owner", "viewer"] as const) {
      const { body } = await api[actor].json("GET", "/api/endpoints");
      expect(body.endpoints.map((e: { id: string }) => e.id)).toContain(ctx.endpoint);
      const ws = await api[actor].json("GET", "/api/workspaces");
      expect(ws.body.workspaces.map((w: { id: string }) => w.id)).toContain(ctx.ws);
    }
    for (const actor of ["stranger", "anonymous"] as const) {
      const { body } = await api[actor].json("GET", "/api/endpoints");
      expect(body.endpoints.map((e: { id: string }) => e.id)).not.toContain(ctx.endpoint);
      expect(body.endpoints).toHaveLength(1);
    }
    const strangerWs = await api.stranger.json("GET", "/api/workspaces");
    expect(strangerWs.body.workspaces.map((w: { id: string }) => w.id)).not.toContain(ctx.ws);
    // A token sees only its workspace.
    const viaToken = await api.viewerToken.json("GET", "/api/workspaces");
    expect(viaToken.body.workspaces.map((w: { id: string }) => w.id)).toEqual([ctx.ws]);
    const me = await api.viewer.json("GET", "/api/me");
    expect(me.body).toMatchObject({ kind: "user", user: { email: `viewer-${provider}@example.test` } });
    expect((await api.anonymous.json("GET", "/api/me")).body.kind).toBe("anonymous");
    expect((await new Api(server.url).json("GET", "/api/me")).body.kind).toBe("none");
  });

  it("creating a workspace needs a signed-in user", async () => {
    expect((await api.stranger.request("POST", "/api/workspaces", { name: "Mine" })).status).toBe(201);
    const viaToken = await api.viewerToken.json("POST", "/api/workspaces", { name: "Nope" });
    expect(viaToken.status).toBe(403);
    expect(viaToken.body.error.code).toBe("session_required");
    expect((await new Api(server.url).request("POST", "/api/workspaces", { name: "Nope" })).status).toBe(404);
  });

  it("only an owner deletes a workspace, never a personal one", async () => {
    const doomed = (await api.owner.json("POST", "/api/workspaces", { name: "Doomed" })).body.id as string;
    const inv = await api.owner.json("POST", `/api/workspaces/${doomed}/invites`, { role: "admin" });
    await api.admin.json("POST", "/api/invites/accept", { token: inv.body.token });
    const ep = await api.admin.createEndpoint({ name: "goes too", workspaceId: doomed });
    expect((await api.admin.request("DELETE", `/api/workspaces/${doomed}`)).status).toBe(403);
    expect((await api.stranger.request("DELETE", `/api/workspaces/${doomed}`)).status).toBe(404);
    expect((await api.owner.request("DELETE", `/api/workspaces/${doomed}`)).status).toBe(204);
    expect((await api.admin.request("GET", `/api/endpoints/${ep.id}`)).status).toBe(404);
    const res = await fetch(`${server.url}/in/${ep.token}`, { method: "POST", body: "x" });
    expect(res.status).toBe(404);
    const me = await api.owner.json("GET", "/api/me");
    const personal = me.body.workspaces.find((w: { personal: boolean }) => w.personal).id;
    const refused = await api.owner.json("DELETE", `/api/workspaces/${personal}`);
    expect(refused.status).toBe(409);
  });

  it("admins remove members, anyone may leave, the last owner may not, and removal ends access", async () => {
    const extra = new Api(server.url);
    const extraUser = await extra.signUp(`extra-${provider}@example.test`);
    const inv = await api.owner.json("POST", `/api/workspaces/${ctx.ws}/invites`, { role: "member" });
    await extra.json("POST", "/api/invites/accept", { token: inv.body.token });
    expect((await extra.request("GET", `/api/endpoints/${ctx.endpoint}`)).status).toBe(200);
    expect((await api.member.request("DELETE", `/api/workspaces/${ctx.ws}/members/${extraUser.id}`)).status).toBe(403);
    expect((await api.stranger.request("DELETE", `/api/workspaces/${ctx.ws}/members/${extraUser.id}`)).status).toBe(404);
    expect((await api.admin.request("DELETE", `/api/workspaces/${ctx.ws}/members/${extraUser.id}`)).status).toBe(204);
    expect((await extra.request("GET", `/api/endpoints/${ctx.endpoint}`)).status).toBe(404);
    // An admin cannot remove or demote the owner; the last owner cannot leave.
    expect((await api.admin.request("DELETE", `/api/workspaces/${ctx.ws}/members/${ctx.userIds.owner}`)).status).toBe(403);
    expect((await api.admin.request("PATCH", `/api/workspaces/${ctx.ws}/members/${ctx.userIds.admin}`, { role: "owner" })).status).toBe(
      403,
    );
    const leave = await api.owner.json("DELETE", `/api/workspaces/${ctx.ws}/members/${ctx.userIds.owner}`);
    expect(leave.status).toBe(409);
    expect(leave.body.error.code).toBe("last_owner");
  });

  it("invites are single-use and expire into the same 404 as unknown ones", async () => {
    const inv = await api.admin.json("POST", `/api/workspaces/${ctx.ws}/invites`, { role: "viewer" });
    expect(inv.body.url).toMatch(/\/invite\/hs_inv_[\w-]{32}$/);
    const preview = await new Api(server.url).json("POST", "/api/invites/preview", { token: inv.body.token });
    expect(preview.body).toMatchObject({ workspaceName: "Team", role: "viewer" });
    const first = new Api(server.url);
    await first.signUp(`invitee-${provider}@example.test`);
    expect((await first.json("POST", "/api/invites/accept", { token: inv.body.token })).status).toBe(200);
    const second = new Api(server.url);
    await second.signUp(`latecomer-${provider}@example.test`);
    const again = await second.json("POST", "/api/invites/accept", { token: inv.body.token });
    expect(again.status).toBe(404);
    expect((await second.json("POST", "/api/invites/accept", { token: "hs_inv_nope" })).body).toEqual(again.body);
    // An admin cannot hand out the owner role.
    expect((await api.admin.request("POST", `/api/workspaces/${ctx.ws}/invites`, { role: "owner" })).status).toBe(403);
    // Accepting needs an account.
    const inv2 = await api.owner.json("POST", `/api/workspaces/${ctx.ws}/invites`, { role: "viewer" });
    expect((await api.anonymous.request("POST", "/api/invites/accept", { token: inv2.body.token })).status).toBe(403);
  });

  it("API tokens: shown once, hashed, scoped, never above the creator's role, revocable", async () => {
    const created = await api.member.json("POST", "/api/tokens", { name: "ci", workspaceId: ctx.ws });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^hs_tok_[\w-]{32}$/);
    expect(created.body.role).toBe("member");
    const list = await api.member.json("GET", "/api/tokens");
    const listed = list.body.tokens.find((t: { id: string }) => t.id === created.body.id);
    expect(listed).toMatchObject({ name: "ci", role: "member" });
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    const tooHigh = await api.member.json("POST", "/api/tokens", { name: "x", workspaceId: ctx.ws, role: "admin" });
    expect(tooHigh.status).toBe(403);
    expect((await api.member.request("POST", "/api/tokens", { name: "x", workspaceId: "ws_nope" })).status).toBe(404);

    const script = new Api(server.url);
    script.bearer = created.body.token;
    expect((await script.request("PATCH", `/api/endpoints/${ctx.endpoint}`, { name: "via token" })).status).toBe(200);
    // Tokens cannot mint tokens; other users cannot revoke it; a bad bearer is no caller at all.
    expect((await script.request("POST", "/api/tokens", { name: "child" })).status).toBe(403);
    expect((await api.stranger.request("DELETE", `/api/tokens/${created.body.id}`)).status).toBe(404);
    const bogus = new Api(server.url);
    bogus.bearer = "hs_tok_forged";
    expect((await bogus.request("GET", `/api/endpoints/${ctx.endpoint}`)).status).toBe(404);

    expect((await api.member.request("DELETE", "/api/tokens", { id: created.body.id })).status).toBe(204);
    expect((await script.request("GET", `/api/endpoints/${ctx.endpoint}`)).status).toBe(404);

    // A token acts with the lower of its role and the creator's current role.
    const t2 = await api.member.json("POST", "/api/tokens", { name: "demoted", workspaceId: ctx.ws });
    script.bearer = t2.body.token;
    await api.owner.json("PATCH", `/api/workspaces/${ctx.ws}/members/${ctx.userIds.member}`, { role: "viewer" });
    try {
      expect((await script.request("PATCH", `/api/endpoints/${ctx.endpoint}`, { name: "nope" })).status).toBe(403);
      expect((await script.request("GET", `/api/endpoints/${ctx.endpoint}`)).status).toBe(200);
    } finally {
      await api.owner.json("PATCH", `/api/workspaces/${ctx.ws}/members/${ctx.userIds.member}`, { role: "member" });
    }
  });
});
