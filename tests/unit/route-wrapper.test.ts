// lib/http/route.ts's route(spec, handler), driven with real NextRequest objects: auth modes, 404
// without a principal, 422 issues for a bad query/body/params, 413 past the byte cap, the cross-origin
// refusal, NUL refusal, Retry-After, and a handler's Response passed on as it is.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";

type RouteMod = typeof import("@/lib/http/route");
let mod: RouteMod;
let ownerCookie: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "hookscope-unit-"));
  vi.stubEnv("SECRET", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-01234");
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("PUBLIC_URL", "http://localhost:3000");
  (await import("@/lib/runtime/shared")).resetShared("secret");
  mod = await import("@/lib/http/route");
  const { encodeOwnerCookie, OWNER_COOKIE } = await import("@/lib/auth/owner-cookie");
  ownerCookie = `${OWNER_COOKIE}=${encodeOwnerCookie("owner-key-1")}`;
});

afterAll(() => {
  vi.unstubAllEnvs();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new NextRequest(new URL(url, "http://localhost:3000"), {
    method: init.method ?? "GET",
    headers: { host: "localhost:3000", ...init.headers },
    body: init.body,
  });
}

const noParams = () => ({ params: Promise.resolve({}) as Promise<Record<string, never>> });

async function answer(res: Response) {
  return { status: res.status, body: await res.json() };
}

describe("route(spec, handler)", () => {
  it('auth "required": no principal is 404 not_found (the handler never runs); with one the handler gets it', async () => {
    let ran = 0;
    const GET = mod.route({ auth: "required" }, ({ principal }) => {
      ran++;
      expectTypeOf(principal).toEqualTypeOf<Principal>();
      return { kind: principal.kind, ownerKey: principal.ownerKey };
    });
    const missing = await answer(await GET(request("/api/x"), noParams()));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    expect(ran).toBe(0);
    const found = await answer(await GET(request("/api/x", { headers: { cookie: ownerCookie } }), noParams()));
    expect(found).toEqual({ status: 200, body: { kind: "anonymous", ownerKey: "owner-key-1" } });
  });

  it('auth "optional" gives null or the principal; "none" never resolves one', async () => {
    const optional = mod.route({ auth: "optional" }, ({ principal }) => {
      expectTypeOf(principal).toEqualTypeOf<Principal | null>();
      return { kind: principal?.kind ?? "none" };
    });
    expect((await answer(await optional(request("/api/x"), noParams()))).body).toEqual({ kind: "none" });
    expect((await answer(await optional(request("/api/x", { headers: { cookie: ownerCookie } }), noParams()))).body).toEqual({
      kind: "anonymous",
    });
    const none = mod.route({ auth: "none" }, ({ principal }) => ({ principal }));
    expect((await answer(await none(request("/api/x", { headers: { cookie: ownerCookie } }), noParams()))).body).toEqual({
      principal: null,
    });
  });

  it("passes the client address the door set", async () => {
    const GET = mod.route({ auth: "none" }, ({ clientIp }) => ({ clientIp }));
    const res = await GET(request("/api/x", { headers: { "x-hookscope-client-ip": "203.0.113.9" } }), noParams());
    expect(await res.json()).toEqual({ clientIp: "203.0.113.9" });
    expect(await (await GET(request("/api/x"), noParams())).json()).toEqual({ clientIp: null });
  });

  it("parses params and query with zod (typed), and answers 422 with issues for a bad query", async () => {
    const GET = mod.route(
      {
        auth: "none",
        params: z.object({ id: z.string() }),
        query: z.object({ limit: z.coerce.number().int().min(1).max(10).default(5) }),
      },
      ({ params, query }) => {
        expectTypeOf(params).toEqualTypeOf<{ id: string }>();
        expectTypeOf(query).toEqualTypeOf<{ limit: number }>();
        return { id: params.id, limit: query.limit };
      },
    );
    const ctx = () => ({ params: Promise.resolve({ id: "ep1" }) });
    expect(await answer(await GET(request("/api/x?limit=3"), ctx()))).toEqual({ status: 200, body: { id: "ep1", limit: 3 } });
    expect((await answer(await GET(request("/api/x"), ctx()))).body).toEqual({ id: "ep1", limit: 5 });
    const bad = await answer(await GET(request("/api/x?limit=99"), ctx()));
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("invalid_request");
    expect(bad.body.error.issues).toEqual([{ path: ["limit"], message: expect.any(String) }]);
  });

  it("reads the JSON body through readJson: typed, 422 with issues, 400 for bad JSON, 413 past the cap", async () => {
    const POST = mod.route(
      { auth: "none", body: z.object({ name: z.string().max(5) }).strict(), bodyOptions: { maxBytes: 64 } },
      ({ body }) => {
        expectTypeOf(body).toEqualTypeOf<{ name: string }>();
        return new Response(JSON.stringify({ got: body.name }), { status: 201 });
      },
    );
    const post = (body: string, headers: Record<string, string> = {}) =>
      POST(request("/api/x", { method: "POST", body, headers }), noParams());
    expect(await answer(await post('{"name":"abc"}'))).toEqual({ status: 201, body: { got: "abc" } });
    const invalid = await answer(await post('{"name":"too long","extra":1}'));
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.issues.map((i: { path: unknown }) => i.path)).toEqual(expect.arrayContaining([["name"]]));
    expect((await answer(await post("{nope"))).body.error.code).toBe("invalid_json");
    const big = await answer(await post(JSON.stringify({ name: "x".repeat(100) })));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("body_too_large");
    const nul = await answer(await post('{"name":"a\\u0000"}'));
    expect(nul.status).toBe(422);
  });

  it("runs `before` after the principal and before the body is read (an access refusal wins over a bad body)", async () => {
    const order: string[] = [];
    const POST = mod.route(
      {
        auth: "required",
        body: z.object({ a: z.number() }),
        before: ({ principal }) => {
          order.push(`before:${principal.kind}`);
          throw new (class extends Error {})("no");
        },
      },
      () => order.push("handler"),
    );
    const res = await POST(request("/api/x", { method: "POST", body: "{nope", headers: { cookie: ownerCookie } }), noParams());
    expect(res.status).toBe(500);
    expect(order).toEqual(["before:anonymous"]);
    // Without a principal, 404 before `before` or the body.
    expect((await POST(request("/api/x", { method: "POST", body: "{nope" }), noParams())).status).toBe(404);
    expect(order).toEqual(["before:anonymous"]);
  });

  it("refuses a cross-site state change before anything else (403 cross_origin), lets same-origin and scripts through", async () => {
    let ran = 0;
    const POST = mod.route({ auth: "none" }, () => {
      ran++;
      return { ok: true };
    });
    const cross = await answer(await POST(request("/api/x", { method: "POST", headers: { origin: "https://evil.example" } }), noParams()));
    expect(cross.body.error.code).toBe("cross_origin");
    expect(cross.status).toBe(403);
    const site = await POST(request("/api/x", { method: "POST", headers: { "sec-fetch-site": "cross-site" } }), noParams());
    expect(site.status).toBe(403);
    expect(ran).toBe(0);
    expect((await POST(request("/api/x", { method: "POST", headers: { origin: "http://localhost:3000" } }), noParams())).status).toBe(200);
    expect((await POST(request("/api/x", { method: "POST" }), noParams())).status).toBe(200);
  });

  it("refuses NUL in the query (422) and in params (404)", async () => {
    const GET = mod.route({ auth: "none" }, () => ({ ok: true }));
    expect((await GET(request("/api/x?q=a%00b"), noParams())).status).toBe(422);
    const inParams = await GET(request("/api/x"), { params: Promise.resolve({ id: "a\u0000" }) } as never);
    expect(inParams.status).toBe(404);
  });

  it("passes a handler's Response on as it is (a stream, its headers and status), and keeps Retry-After on errors", async () => {
    const GET = mod.route({ auth: "none" }, () => {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode("data: 1\n\n"));
          c.close();
        },
      });
      return new Response(stream, { status: 200, headers: { "Content-Type": "text/event-stream", "X-Mine": "1" } });
    });
    const res = await GET(request("/api/x"), noParams());
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("x-mine")).toBe("1");
    expect(await res.text()).toBe("data: 1\n\n");
    const { AppError } = await import("@/lib/errors");
    const busy = mod.route({ auth: "none" }, () => {
      throw new AppError("rate_limited", "Slow down.", 7);
    });
    const refused = await busy(request("/api/x"), noParams());
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("7");
  });
});
