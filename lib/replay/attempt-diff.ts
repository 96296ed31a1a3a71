// The diffs for the API routes: two attempts' responses, and an edited request against its capture. Computed on
// the real values and shown masked, unless the caller reveals (audited).
import type { z } from "zod";
import type { Principal } from "../auth/principal";
import { audit } from "../audit/audit";
import { can } from "../auth/roles";
import { maskedCapture } from "../capture/view";
import { captureAccess } from "../endpoints/access";
import { AppError } from "../errors";
import type { HeaderPairs } from "../model/capture";
import { redactBodyOffThread, redactPartsOffThread, redactQueryOffThread } from "../redaction/regex-pool";
import { rulesForEndpoint } from "../redaction/policy";
import type { RedactionRule } from "../redaction/rules";
import { attemptAccess, auditReveal } from "./attempt-reads";
import { attemptParts, type AttemptRow } from "./attempts";
import { targetForCapture, type ReplayRequest } from "./build-request";
import { diffBodies, diffHeaders, VOLATILE_RESPONSE_HEADERS, type RequestDiff, type ResponseDiff } from "./diff";
import type { HeaderChange } from "./diff-types";
import { asAppError, type diffRequestSchema, editedRequest, exactCapture, sha256 } from "./service";

/**
 * Header changes computed on the real values, shown with the masked values: a changed secret is
 * reported as changed without showing either value.
 */
async function maskedHeaderDiff(
  before: HeaderPairs,
  after: HeaderPairs,
  ignore: readonly string[],
  rules: readonly RedactionRule[] | null,
): Promise<HeaderChange[]> {
  const changes = diffHeaders(before, after, ignore);
  if (!rules) return changes;
  // Both lists in one masking call: in a redaction worker when their regex work is large.
  const shown = (await redactPartsOffThread({ headers: [before, after], queries: [] }, rules)).headers;
  const group = (pairs: HeaderPairs) => {
    const m = new Map<string, string[]>();
    for (const [n, v] of pairs) {
      const k = n.toLowerCase();
      m.set(k, [...(m.get(k) ?? []), v]);
    }
    return m;
  };
  const b = group(shown[0]!.pairs);
  const a = group(shown[1]!.pairs);
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
export async function diffAttempts(
  principal: Principal,
  aId: string,
  bId: string,
  opts: { reveal: boolean; ip: string | null },
): Promise<AttemptDiff> {
  const action = opts.reveal ? "capture.reveal" : "capture.read";
  const sides = [await attemptAccess(principal, aId, action), await attemptAccess(principal, bId, action)] as const;
  const loaded: {
    row: AttemptRow;
    raw: Awaited<ReturnType<typeof attemptParts>>;
    shown: Awaited<ReturnType<typeof attemptParts>>;
    rules: RedactionRule[] | null;
  }[] = [];
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
      : await maskedHeaderDiff(ra.headers, rb.headers, VOLATILE_RESPONSE_HEADERS, rules),
    body: diffBodies(x.shown.response!.body, y.shown.response!.body),
  };
  const side = (s: typeof x) => ({
    id: s.row.id,
    kind: s.row.kind,
    createdAt: s.row.createdAt.toISOString(),
    status: s.raw.response!.status,
  });
  return { a: side(x), b: side(y), diff, masked: rules !== null };
}

/** Left out of request diffs: the egress client sets or drops these itself on every send. */
const SENDER_SET_HEADERS = [
  "host",
  "content-length",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-authenticate",
  "proxy-authorization",
];

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
    await audit(principal, {
      workspaceId: access.workspaceId,
      action: "capture.reveal",
      targetType: "capture",
      targetId: captureId,
      detail: { endpointId: access.endpointId, part: "request_diff" },
      ip: opts.ip,
    });
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
  const maskUrl = async (u: string) => {
    if (!rules) return u;
    const q = u.indexOf("?");
    return q < 0 ? u : u.slice(0, q + 1) + (await redactQueryOffThread(u.slice(q + 1), rules)).query;
  };
  const contentType = (h: HeaderPairs) => h.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? null;
  // Masked in a redaction worker when the regex work is large (never on the thread serving others);
  // over the budget the edited body is withheld (empty), like any masked view.
  const shownBody = async (b: Uint8Array, h: HeaderPairs) => (rules ? (await redactBodyOffThread(b, contentType(h), rules)).bytes : b);
  const before = { method: source.method, url: await maskUrl(originalUrl), headers: source.headers, body: shownOriginal };
  // An unedited body is the original's (the same bytes object): shown as the original is.
  const after = {
    method: edited.method,
    url: await maskUrl(edited.url),
    headers: edited.headers,
    body: edited.body === source.body ? shownOriginal : await shownBody(edited.body, edited.headers),
  };
  // URLs compared unmasked, shown masked.
  const urlChanged = originalUrl !== edited.url;
  const diff: RequestDiff = {
    method: before.method === after.method ? null : { before: before.method, after: after.method },
    url: urlChanged ? { before: before.url, after: after.url } : null,
    headers: await maskedHeaderDiff(source.headers, edited.headers, SENDER_SET_HEADERS, rules),
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
