// Thin route handlers: parse → one lib call → JSON. Every failure leaves through errorResponse
// as { error: { code, message } }; internals never reach the client. A 422 invalid_request from zod
// also carries issues: [{ path, message }] so a form can put each message at its field without
// parsing `message` (kept, flattened, for scripts).
import type { NextRequest } from "next/server";
import { ZodError, type ZodType, z } from "zod";
import { AppError, notFound, statusOf } from "../errors";
import { resolvePrincipal, type RequestLike } from "../auth/request";
import type { Principal } from "../auth/principal";
import { log } from "../runtime/log";
import { REQUEST_ID_HEADER } from "../ops/request-id";
import { isStorageUnavailable } from "../db/errors";
import { assertNoNulInRequest } from "./text-input";
import { clientIp } from "../auth/client-ip";
import { readJson, type ReadJsonOptions } from "./read-json";

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

/** `requestId`: the door's x-request-id for this request (lib/ops/request-id.ts), put in the log lines. */
export function errorResponse(err: unknown, requestId?: string): Response {
  if (err instanceof AppError) {
    const headers =
      err.retryAfterSeconds !== undefined ? { "Retry-After": String(Math.max(1, Math.ceil(err.retryAfterSeconds))) } : undefined;
    return json({ error: { ...err.details, code: err.code, message: err.message } }, { status: err.status, headers });
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
    log().warn({ err: (err as Error).message, requestId }, "route failed: storage unavailable");
    return json(
      { error: { code: "storage_unavailable", message: "Storage is busy or unavailable; retry shortly." } },
      { status: statusOf("storage_unavailable"), headers: { "Retry-After": "2" } },
    );
  }
  log().error({ err: err instanceof Error ? err.message : String(err), requestId }, "route failed");
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

export type Auth = "required" | "optional" | "none";

/** The principal a handler gets: always one when required, maybe one when optional, none when not resolved at all. */
export type PrincipalFor<A extends Auth> = A extends "required" ? Principal : A extends "optional" ? Principal | null : null;

type Parsed<S, Default> = S extends ZodType ? z.output<S> : Default;

/** What a route declares: who may call it and the shape of its params, query and JSON body. */
export interface RouteSpec<A extends Auth, PS, QS, BS, X> {
  /** "required": no principal → 404 not_found; "optional": maybe null; "none": never resolved (share links, sign-up). */
  auth: A;
  /** The dynamic segments, checked with zod (422 with issues); without one they are passed on as Next gives them. */
  params?: PS;
  /** The query string (each name's last value), checked with zod (422 with issues). */
  query?: QS;
  /** The JSON body, read through readJson (byte-capped: 413 past the cap; 400 invalid_json; 422 with issues). */
  body?: BS;
  /** readJson's options for `body`: a larger cap, NUL allowed as text (replay bodies); a function is called per request (settings are read at run time). */
  bodyOptions?: ReadJsonOptions | (() => ReadJsonOptions);
  /**
   * Runs after the principal and params, before the query and body are parsed: access decisions and
   * throttles that must answer (404, 403, 429) before a bad query or body is refused, or a body read.
   * What it returns reaches the handler as `access`; a Response it returns is sent as the answer.
   */
  before?: (ctx: BeforeContext<A, Parsed<PS, RawParams<PS>>>) => X | Promise<X>;
}

/** What `before` receives. */
export interface BeforeContext<A extends Auth, P> {
  req: NextRequest;
  principal: PrincipalFor<A>;
  params: P;
  /** The client address set by the door (lib/auth/client-ip.ts); null when it did not set one. */
  clientIp: string | null;
}

/** What a handler receives. */
export interface RouteContext<A extends Auth, P, Q, B, X = undefined> extends BeforeContext<A, P> {
  query: Q;
  body: B;
  /** What `before` returned (an access decision). */
  access: Exclude<X, Response>;
}

type RawParams<PS> = PS extends ZodType ? z.input<PS> : Record<string, never>;

/**
 * The one route wrapper. Every route: same-origin check for state changes, NUL check on query and
 * params, the principal, the client address, zod-parsed params/query/body, and every failure through
 * errorResponse (one error table, Retry-After kept). A handler returns a Response (passed on as it is:
 * SSE streams, downloads, 201/204) or data (sent as JSON, 200).
 */
export function route<
  A extends Auth,
  PS extends ZodType | undefined = undefined,
  QS extends ZodType | undefined = undefined,
  BS extends ZodType | undefined = undefined,
  X = undefined,
>(
  spec: RouteSpec<A, PS, QS, BS, X>,
  handler: (ctx: RouteContext<A, Parsed<PS, RawParams<PS>>, Parsed<QS, undefined>, Parsed<BS, undefined>, X>) => Promise<unknown> | unknown,
) {
  type Ctx = RouteContext<A, Parsed<PS, RawParams<PS>>, Parsed<QS, undefined>, Parsed<BS, undefined>, X>;
  return async (req: NextRequest, ctx: { params: Promise<RawParams<PS>> }): Promise<Response> => {
    try {
      assertSameOrigin(req);
      const rawParams = await ctx.params;
      assertNoNulInRequest(req.nextUrl.searchParams, rawParams);
      const principal = (spec.auth === "none" ? null : await resolvePrincipal(requestLike(req))) as PrincipalFor<A>;
      if (spec.auth === "required" && !principal) throw notFound();
      const context = {
        req,
        principal,
        params: spec.params ? spec.params.parse(rawParams) : rawParams,
        clientIp: clientIp(req.headers),
      } as Ctx;
      if (spec.before) {
        const access = await spec.before(context);
        if (access instanceof Response) return access;
        context.access = access as Ctx["access"];
      }
      if (spec.query) context.query = spec.query.parse(Object.fromEntries(req.nextUrl.searchParams)) as Ctx["query"];
      if (spec.body)
        context.body = (await readJson(
          req,
          spec.body,
          typeof spec.bodyOptions === "function" ? spec.bodyOptions() : spec.bodyOptions,
        )) as Ctx["body"];
      const out = await handler(context);
      return out instanceof Response ? out : json(out);
    } catch (err) {
      return errorResponse(err, req.headers.get(REQUEST_ID_HEADER) ?? undefined);
    }
  };
}

export function requestLike(req: NextRequest): RequestLike {
  return { headers: req.headers, cookie: (name) => req.cookies.get(name)?.value };
}

/** The params of a route under one `[id]` segment. */
export const idParams = z.object({ id: z.string() });
