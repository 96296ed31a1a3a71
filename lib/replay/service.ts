// Replays from the server, browser-replay records, and the diffs, for the API routes. Every
// operation resolves access first (404 outside the workspace, 403 below the role) and reads the
// exact stored capture (header pairs and body bytes), never the masked view; only the diffs of a
// caller who cannot reveal start from the masked view, as that is all they may see.
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { audit } from "../audit/audit";
import { getCapture, getCaptureBody } from "../capture/store";
import type { CaptureDetail, HeaderPairs } from "../model/capture";
import { captureAccess } from "../endpoints/access";
import { can } from "../auth/roles";
import { maskedCapture } from "../capture/view";
import { AppError, notFound } from "../errors";
import { EgressError } from "../net/egress-error";
import { assertTargetAllowed } from "../net/ssrf";
import { redactBody, redactHeaders, redactQuery } from "../redaction/mask";
import { rulesForEndpoint } from "../redaction/policy";
import type { RedactionRule } from "../redaction/rules";
import { attemptParts, attemptView, outcomeOf, findAttemptRow, MAX_STORED_RESPONSE_BYTES, recordAttempt, type AttemptRow, type AttemptView } from "./attempts";
import { buildReplayRequest, decodeBase64, targetForCapture, type ReplayOverrides, type ReplayRequest, type ReplaySource } from "./build-request";
import { diffBodies, diffHeaders, VOLATILE_RESPONSE_HEADERS, type HeaderChange, type RequestDiff, type ResponseDiff } from "./diff";
import { headerPairsSchema, methodSchema, urlSchema } from "./input";
import { dropCredentials, egressLimits, guardPolicy } from "./policy";
import { sendRequest } from "./send";
import { targetOf } from "./targets";
import { createHash } from "node:crypto";

const editSchema = {
  method: methodSchema.optional(),
  headers: headerPairsSchema.optional(),
  body: z.string().optional(),
  bodyBase64: z.string().optional(),
  /** Send the credential headers (lib/redaction/credential-headers.ts; dropped otherwise). */
  includeCredentials: z.boolean().optional(),
  /** Append the capture's sub-path and query to the URL (targetForCapture). */
  appendPath: z.boolean().optional(),
};

export const replaySchema = z
  .object({
    url: urlSchema.optional(),
    targetId: z.string().min(1).max(64).optional(),
    followRedirects: z.boolean().optional(),
    ...editSchema,
  })
  .refine((v) => v.url !== undefined || v.targetId !== undefined, { message: "give url or targetId", path: ["url"] });

export const diffRequestSchema = z.object({ url: urlSchema.optional(), ...editSchema });

export type ReplayInput = z.infer<typeof replaySchema>;

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function asAppError(err: unknown): unknown {
  if (err instanceof EgressError) return new AppError(err.code, err.message);
  return err;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The exact stored capture: header pairs and body bytes from the database. */
async function exactCapture(principal: Principal, captureId: string): Promise<{ detail: CaptureDetail; source: ReplaySource }> {
  const detail = await getCapture(principal, captureId);
  const { body } = await getCaptureBody(principal, captureId);
  return { detail, source: { method: detail.method, path: detail.path, query: detail.query, headers: detail.headers, body } };
}

/** The request a replay would send: the capture with the edits, credentials dropped unless asked. */
function editedRequest(source: ReplaySource, url: string, input: Omit<ReplayOverrides, "url"> & { includeCredentials?: boolean; appendPath?: boolean }): ReplayRequest {
  const target = input.appendPath ? targetForCapture(url, source) : url;
  const built = buildReplayRequest(source, { url: target, method: input.method, headers: input.headers, body: input.body, bodyBase64: input.bodyBase64 });
  return input.includeCredentials ? built : { ...built, headers: dropCredentials(built.headers) };
}

/**
 * Replays a capture from the server through the guarded egress client and stores the attempt.
 * A target the guard refuses before anything is sent answers 422 `target_forbidden` and stores
 * nothing (the refusal is audited); a redirect refused after the first hop is a stored attempt
 * whose error is `target_forbidden`.
 */
export async function replayCapture(principal: Principal, captureId: string, input: ReplayInput, ip: string | null): Promise<AttemptView> {
  const access = await captureAccess(principal, captureId, "capture.replay");
  const { detail, source } = await exactCapture(principal, captureId);
  if (detail.rejected) throw new AppError("not_replayable", "This capture was refused when it arrived (no body was stored), so it cannot be replayed.");
  const saved = input.targetId ? await targetOf(access.endpointId, input.targetId) : null;
  const url = input.url ?? saved!.url;
  const followRedirects = input.followRedirects ?? saved?.followRedirects ?? false;
  const edited = input.method !== undefined || input.headers !== undefined || input.body !== undefined || input.bodyBase64 !== undefined;

  let request: ReplayRequest;
  try {
    request = editedRequest(source, url, input);
  } catch (err) {
    throw asAppError(err);
  }
  const auditDetail = {
    endpointId: access.endpointId,
    kind: "replay",
    target: originOf(request.url),
    method: request.method,
    edited,
    includeCredentials: input.includeCredentials === true,
  };
  const refused = async (err: EgressError) => {
    if (err.code !== "target_forbidden") return new AppError(err.code, err.message);
    await audit(principal, { workspaceId: access.workspaceId, action: "capture.replay", targetType: "capture", targetId: captureId, detail: { ...auditDetail, outcome: "refused", reason: err.code }, ip });
    return new AppError(err.code, err.message);
  };

  const policy = guardPolicy();
  try {
    await assertTargetAllowed(request.url, policy);
  } catch (err) {
    // dns_failed is left to the send below, which records it as the attempt's error.
    if (err instanceof EgressError && err.code !== "dns_failed") throw await refused(err);
    if (!(err instanceof EgressError)) throw err;
  }

  const result = await sendRequest({ ...request, ...egressLimits(), allowedSubnets: policy.allowedSubnets, followRedirects });
  if (result.error && result.redirects.length === 0 && ["target_forbidden", "invalid_target", "invalid_request"].includes(result.error.code)) {
    throw await refused(new EgressError(result.error.code, result.error.message));
  }
  const row = await recordAttempt({
    captureId,
    endpointId: access.endpointId,
    kind: "replay",
    actorLabel: principal.label,
    ...outcomeOf(result, request.body),
  });
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "capture.replay",
    targetType: "capture",
    targetId: captureId,
    detail: { ...auditDetail, attemptId: row.id, status: result.response?.status ?? null, error: result.error?.code ?? null },
    ip,
  });
  return attemptView(row, await rulesForEndpoint(access.endpointId));
}

// ---------------------------------------------------------------------------------------------
// Browser replays: the dashboard sent the request from the user's browser and reports it.

const BROWSER_BODY_MAX = MAX_STORED_RESPONSE_BYTES;
const bodyFields = { body: z.string().optional(), bodyBase64: z.string().optional() };

export const browserAttemptSchema = z
  .object({
    kind: z.literal("browser"),
    request: z.object({ url: urlSchema, method: methodSchema, headers: headerPairsSchema.default([]), ...bodyFields }),
    response: z
      .object({
        status: z.number().int().min(0).max(999),
        headers: headerPairsSchema.default([]),
        durationMs: z.number().int().min(0).max(3_600_000).optional(),
        truncated: z.boolean().optional(),
        ...bodyFields,
      })
      .nullish(),
    error: z
      .object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), message: z.string().max(1000) })
      .nullish(),
    durationMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .refine((v) => (v.response ? 1 : 0) + (v.error ? 1 : 0) === 1, { message: "give exactly one of response and error", path: ["response"] });

/** The JSON a browser-attempt report may take: two bodies of 1 MiB as base64, and headers. */
export const BROWSER_ATTEMPT_MAX_JSON = 4 * 1024 * 1024;

function bodyOf(part: { body?: string; bodyBase64?: string }, what: string): Uint8Array {
  if (part.body !== undefined && part.bodyBase64 !== undefined) throw new AppError("invalid_request", `${what}: give either body or bodyBase64, not both.`);
  if (part.bodyBase64 !== undefined) {
    const bytes = decodeBase64(part.bodyBase64);
    if (!bytes) throw new AppError("invalid_request", `${what}.bodyBase64 is not valid base64.`);
    return bytes;
  }
  return new TextEncoder().encode(part.body ?? "");
}

export async function recordBrowserAttempt(principal: Principal, captureId: string, input: z.infer<typeof browserAttemptSchema>, ip: string | null): Promise<AttemptView> {
  const access = await captureAccess(principal, captureId, "capture.replay");
  let url: URL;
  try {
    url = new URL(input.request.url);
  } catch {
    throw new AppError("invalid_target", "request.url is not a valid absolute URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("invalid_target", "request.url must be http or https.");
  const reqBody = bodyOf(input.request, "request");
  if (reqBody.byteLength > BROWSER_BODY_MAX) throw new AppError("body_too_large", `request body: at most ${BROWSER_BODY_MAX} bytes are recorded.`);
  const response = input.response
    ? (() => {
        const full = bodyOf(input.response, "response");
        const truncated = (input.response.truncated ?? false) || full.byteLength > BROWSER_BODY_MAX;
        return {
          status: input.response.status,
          headers: input.response.headers,
          body: full.subarray(0, BROWSER_BODY_MAX),
          bodySize: full.byteLength,
          truncated,
          durationMs: input.response.durationMs ?? input.durationMs ?? 0,
        };
      })()
    : null;
  const row = await recordAttempt({
    captureId,
    endpointId: access.endpointId,
    kind: "browser",
    actorLabel: principal.label,
    request: { url: input.request.url, method: input.request.method.toUpperCase(), headers: input.request.headers, body: reqBody, bodySha256: sha256(reqBody) },
    response,
    error: input.error ?? null,
    durationMs: input.durationMs ?? response?.durationMs ?? 0,
  });
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "capture.replay",
    targetType: "capture",
    targetId: captureId,
    detail: { endpointId: access.endpointId, kind: "browser", attemptId: row.id, target: url.origin, method: row.requestMethod, status: row.responseStatus, error: row.errorCode },
    ip,
  });
  return attemptView(row, await rulesForEndpoint(access.endpointId));
}

// ---------------------------------------------------------------------------------------------
// Reading attempts

/** An attempt the principal may act on (its capture's access rules); 404 `attempt` otherwise. */
export async function attemptAccess(principal: Principal, id: string, action: "capture.read" | "capture.reveal") {
  const row = await findAttemptRow(id);
  if (!row) throw notFound("attempt");
  try {
    const access = await captureAccess(principal, row.captureId, action);
    return { row, access };
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw notFound("attempt");
    throw err;
  }
}

async function auditReveal(principal: Principal, access: { workspaceId: string | null; endpointId: string }, attemptId: string, part: string, ip: string | null) {
  await audit(principal, { workspaceId: access.workspaceId, action: "capture.reveal", targetType: "attempt", targetId: attemptId, detail: { endpointId: access.endpointId, part }, ip });
}

export async function getAttempt(principal: Principal, id: string, opts: { reveal: boolean; ip: string | null }): Promise<AttemptView> {
  const { row, access } = await attemptAccess(principal, id, opts.reveal ? "capture.reveal" : "capture.read");
  if (opts.reveal) await auditReveal(principal, access, id, "attempt", opts.ip);
  return attemptView(row, opts.reveal ? null : await rulesForEndpoint(access.endpointId), true);
}

export async function attemptBody(
  principal: Principal,
  id: string,
  opts: { part: "request" | "response"; reveal: boolean; ip: string | null },
): Promise<{ body: Uint8Array; masked: boolean }> {
  const { row, access } = await attemptAccess(principal, id, opts.reveal ? "capture.reveal" : "capture.read");
  if (opts.reveal) await auditReveal(principal, access, id, `${opts.part}_body`, opts.ip);
  const parts = await attemptParts(row, opts.reveal ? null : await rulesForEndpoint(access.endpointId));
  if (opts.part === "request") return { body: parts.request.body, masked: parts.masked };
  if (!parts.response) throw new AppError("not_found", "This attempt has no response (it failed before one arrived).");
  return { body: parts.response.body, masked: parts.masked };
}

// ---------------------------------------------------------------------------------------------
// Diffs

/**
 * Header changes computed on the real values, shown with the masked values: a changed secret is
 * reported as changed without showing either value.
 */
function maskedHeaderDiff(before: HeaderPairs, after: HeaderPairs, ignore: readonly string[], rules: readonly RedactionRule[] | null): HeaderChange[] {
  const changes = diffHeaders(before, after, ignore);
  if (!rules) return changes;
  const group = (pairs: HeaderPairs) => {
    const m = new Map<string, string[]>();
    for (const [n, v] of redactHeaders(pairs, rules).pairs) {
      const k = n.toLowerCase();
      m.set(k, [...(m.get(k) ?? []), v]);
    }
    return m;
  };
  const b = group(before);
  const a = group(after);
  return changes.map((c) => ({
    ...c,
    ...(c.before && { before: b.get(c.name.toLowerCase()) ?? c.before }),
    ...(c.after && { after: a.get(c.name.toLowerCase()) ?? c.after }),
  }));
}

export interface AttemptDiff {
  a: { id: string; kind: string; createdAt: string; status: number };
  b: { id: string; kind: string; createdAt: string; status: number };
  diff: ResponseDiff;
  masked: boolean;
}

/** Two attempts' responses (a = before, b = after): status, headers (volatile ones ignored), body. */
export async function diffAttempts(principal: Principal, aId: string, bId: string, opts: { reveal: boolean; ip: string | null }): Promise<AttemptDiff> {
  const action = opts.reveal ? "capture.reveal" : "capture.read";
  const sides = [await attemptAccess(principal, aId, action), await attemptAccess(principal, bId, action)] as const;
  const loaded: { row: AttemptRow; raw: Awaited<ReturnType<typeof attemptParts>>; shown: Awaited<ReturnType<typeof attemptParts>>; rules: RedactionRule[] | null }[] = [];
  for (const { row, access } of sides) {
    if (opts.reveal) await auditReveal(principal, access, row.id, "diff", opts.ip);
    const rules = opts.reveal ? null : await rulesForEndpoint(access.endpointId);
    const raw = await attemptParts(row, null);
    loaded.push({ row, raw, shown: rules ? await attemptParts(row, rules) : raw, rules });
  }
  const [x, y] = loaded as [(typeof loaded)[0], (typeof loaded)[0]];
  for (const s of [x, y]) {
    if (!s.raw.response || !s.shown.response) {
      throw new AppError("no_response", `Attempt ${s.row.id} has no response to compare (${s.row.errorCode ?? "no answer"}).`);
    }
  }
  const ra = x.raw.response!;
  const rb = y.raw.response!;
  // Masking uses the endpoint's rules of each side; for two sides of one endpoint they are the same.
  const rules = x.rules ?? y.rules;
  // A caller who cannot reveal compares what they may see (the masked headers): whether two masked values
  // differ is not theirs to learn either.
  const ownView = sides.some(({ access }) => !can(access.role, "capture.reveal"));
  const diff: ResponseDiff = {
    status: ra.status === rb.status ? null : { before: ra.status, after: rb.status },
    headers: ownView
      ? diffHeaders(x.shown.response!.headers, y.shown.response!.headers, VOLATILE_RESPONSE_HEADERS)
      : maskedHeaderDiff(ra.headers, rb.headers, VOLATILE_RESPONSE_HEADERS, rules),
    body: diffBodies(x.shown.response!.body, y.shown.response!.body),
  };
  const side = (s: typeof x) => ({ id: s.row.id, kind: s.row.kind, createdAt: s.row.createdAt.toISOString(), status: s.raw.response!.status });
  return { a: side(x), b: side(y), diff, masked: rules !== null };
}

/** Left out of request diffs: the egress client sets or drops these itself on every send. */
const SENDER_SET_HEADERS = ["host", "content-length", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization"];

export interface EditedRequestDiff {
  original: { method: string; url: string };
  edited: { method: string; url: string; bodySize: number; bodySha256: string };
  diff: RequestDiff;
  masked: boolean;
}

/**
 * An edited request against the capture it came from. The original's URL is the capture's
 * sub-path and query (`/stripe?x=1`) unless `url` is given, in which case both sides use the
 * target (the original with the capture's path appended when `appendPath`). The edited side is
 * what a replay would send, credentials dropped unless `includeCredentials`.
 */
export async function diffEditedRequest(
  principal: Principal,
  captureId: string,
  input: z.infer<typeof diffRequestSchema>,
  opts: { reveal: boolean; ip: string | null },
): Promise<EditedRequestDiff> {
  const access = await captureAccess(principal, captureId, opts.reveal ? "capture.reveal" : "capture.read");
  if (opts.reveal) {
    await audit(principal, { workspaceId: access.workspaceId, action: "capture.reveal", targetType: "capture", targetId: captureId, detail: { endpointId: access.endpointId, part: "request_diff" }, ip: opts.ip });
  }
  const { detail, source: stored } = await exactCapture(principal, captureId);
  const rules = opts.reveal ? null : await rulesForEndpoint(access.endpointId);
  // What the response shows of the original body: the masked view's body (decoded when masking had to decode it).
  let shownOriginal: Uint8Array = stored.body;
  let source = stored;
  if (rules) {
    const seen = await maskedCapture({ ...stored, contentType: detail.contentType }, rules);
    shownOriginal = seen.body;
    // A caller who cannot reveal diffs what they may see: the edit starts from the masked capture, and is
    // compared with it, so a guessed header, query or body value meets the mask, never the stored value.
    if (!can(access.role, "capture.reveal")) source = { ...stored, headers: seen.headers, query: seen.query, body: seen.body };
  }
  const relative = `${source.path || "/"}${source.query ? `?${source.query}` : ""}`;
  const originalUrl = input.url === undefined ? relative : input.appendPath ? targetForCapture(input.url, source) : input.url;
  let edited: ReplayRequest;
  try {
    edited = editedRequest(source, input.url ?? "http://x.invalid/", input);
  } catch (err) {
    throw asAppError(err);
  }
  if (input.url === undefined) edited = { ...edited, url: relative };
  const maskUrl = (u: string) => {
    if (!rules) return u;
    const q = u.indexOf("?");
    return q < 0 ? u : u.slice(0, q + 1) + redactQuery(u.slice(q + 1), rules).query;
  };
  const contentType = (h: HeaderPairs) => h.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? null;
  const shownBody = (b: Uint8Array, h: HeaderPairs) => (rules ? redactBody(b, contentType(h), rules).bytes : b);
  const before = { method: source.method, url: maskUrl(originalUrl), headers: source.headers, body: shownOriginal };
  // An unedited body is the original's (the same bytes object): shown as the original is.
  const after = { method: edited.method, url: maskUrl(edited.url), headers: edited.headers, body: edited.body === source.body ? shownOriginal : shownBody(edited.body, edited.headers) };
  // URLs compared unmasked, shown masked.
  const urlChanged = originalUrl !== edited.url;
  const diff: RequestDiff = {
    method: before.method === after.method ? null : { before: before.method, after: after.method },
    url: urlChanged ? { before: before.url, after: after.url } : null,
    headers: maskedHeaderDiff(source.headers, edited.headers, SENDER_SET_HEADERS, rules),
    body: diffBodies(before.body, after.body),
  };
  return {
    original: { method: source.method, url: before.url },
    // Of the body as shown (masked unless revealed): never a hash or size of masked bytes.
    edited: { method: edited.method, url: after.url, bodySize: after.body.byteLength, bodySha256: sha256(after.body) },
    diff,
    masked: rules !== null,
  };
}
