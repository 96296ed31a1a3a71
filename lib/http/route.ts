// Thin route handlers: parse → one lib call → JSON. Every failure leaves through errorResponse
// as { error: { code, message } }; internals never reach the client. A 422 invalid_request from zod
// also carries issues: [{ path, message }] so a form can put each message at its field without
// parsing `message` (kept, flattened, for scripts).
import type { NextRequest } from "next/server";
import { ZodError } from "zod";
import { AppError, notFound, statusOf } from "../errors";
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

/** One problem in a request: where (object keys and array indexes from the body's root; [] the body itself) and what. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers =
      err.retryAfterSeconds !== undefined ? { "Retry-After": String(Math.max(1, Math.ceil(err.retryAfterSeconds))) } : undefined;
    return json({ error: { code: err.code, message: err.message } }, { status: err.status, headers });
  }
  if (err instanceof ZodError) {
    const issues: ValidationIssue[] = err.issues.map((i) => ({
      path: i.path.map((key) => (typeof key === "number" ? key : String(key))),
      message: i.message,
    }));
    const message = issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return json({ error: { code: "invalid_request", message, issues } }, { status: statusOf("invalid_request") });
  }
  if (isStorageUnavailable(err)) {
    log().warn({ err: (err as Error).message }, "route failed: storage unavailable");
    return json(
      { error: { code: "storage_unavailable", message: "Storage is busy or unavailable; retry shortly." } },
      { status: statusOf("storage_unavailable"), headers: { "Retry-After": "2" } },
    );
  }
  log().error({ err: err instanceof Error ? err.message : String(err) }, "route failed");
  return json({ error: { code: "internal", message: "Internal error." } }, { status: statusOf("internal") });
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
    throw new AppError("cross_origin", "Cross-site requests cannot change data.");
  }
  const origin = req.headers.get("origin");
  if (origin && origin !== "null") {
    const host = req.headers.get("host");
    // An Origin that is not a URL names no site of ours: refused like another site's (it was a TypeError, a 500).
    if (!host || URL.parse(origin)?.host !== host) {
      throw new AppError("cross_origin", "Cross-site requests cannot change data.");
    }
  } else if (origin === "null") {
    throw new AppError("cross_origin", "Cross-site requests cannot change data.");
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
