// Thin route handlers: parse → one lib call → JSON. Every failure leaves through errorResponse
// as { error: { code, message } }; internals never reach the client.
import type { NextRequest } from "next/server";
import { ZodError } from "zod";
import { AppError, notFound } from "./errors";
import { resolvePrincipal, type RequestLike } from "../auth/request";
import type { Principal } from "../auth/principal";
import { log } from "../runtime/log";
import { isStorageUnavailable } from "../db/errors";
import { assertNoNulInRequest } from "./text-input";

// Routes read their JSON body through lib/http/read-json.ts (byte-capped); re-exported here, where
// the route helpers are imported from.
export { readJson } from "./read-json";

export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(data), { ...init, headers });
}

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers = err.retryAfterSeconds !== undefined ? { "Retry-After": String(Math.max(1, Math.ceil(err.retryAfterSeconds))) } : undefined;
    return json({ error: { code: err.code, message: err.message } }, { status: err.status, headers });
  }
  if (err instanceof ZodError) {
    const message = err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return json({ error: { code: "invalid_request", message } }, { status: 422 });
  }
  if (isStorageUnavailable(err)) {
    log().warn({ err: (err as Error).message }, "route failed: storage unavailable");
    return json(
      { error: { code: "storage_unavailable", message: "Storage is busy or unavailable; retry shortly." } },
      { status: 503, headers: { "Retry-After": "2" } },
    );
  }
  log().error({ err: err instanceof Error ? err.message : String(err) }, "route failed");
  return json({ error: { code: "internal", message: "Internal error." } }, { status: 500 });
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers attach cookies to cross-site requests; refuse a state change whose Origin (or
 * Sec-Fetch-Site) says it came from another site. Scripts and curl send neither and pass.
 */
function assertSameOrigin(req: NextRequest) {
  if (SAFE.has(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError(403, "cross_origin", "Cross-site requests cannot change data.");
  }
  const origin = req.headers.get("origin");
  if (origin && origin !== "null") {
    const host = req.headers.get("host");
    // An Origin that is not a URL names no site of ours: refused like another site's (it was a TypeError, a 500).
    if (!host || URL.parse(origin)?.host !== host) {
      throw new AppError(403, "cross_origin", "Cross-site requests cannot change data.");
    }
  } else if (origin === "null") {
    throw new AppError(403, "cross_origin", "Cross-site requests cannot change data.");
  }
}

type Handler<P> = (req: NextRequest, params: P) => Promise<Response>;

export function route<P = Record<string, never>>(handler: Handler<P>) {
  return async (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      assertSameOrigin(req);
      const params = await ctx.params;
      assertNoNulInRequest(req.nextUrl.searchParams, params);
      return await handler(req, params);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function requestLike(req: NextRequest): RequestLike {
  return { headers: req.headers, cookie: (name) => req.cookies.get(name)?.value };
}

/** The caller's principal; without one, every specific resource is simply not found. */
export async function requirePrincipal(req: NextRequest): Promise<Principal> {
  const principal = await resolvePrincipal(requestLike(req));
  if (!principal) throw notFound();
  return principal;
}

export function optionalPrincipal(req: NextRequest): Promise<Principal | null> {
  return resolvePrincipal(requestLike(req));
}
