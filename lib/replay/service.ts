// Replays from the server, browser-replay records, and the diffs, for the API routes. Every
// operation works within one access decision (404 outside the workspace, 403 below the role; for
// the replay, the one its route took) and reads the exact stored capture (header pairs and body bytes), never the masked view; only the diffs of a
// caller who cannot reveal start from the masked view, as that is all they may see.
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { audit } from "../audit/audit";
import { getCapture, getCaptureBody, getCaptureOfEndpoint } from "../capture/store";
import { storedBody } from "../capture/view";
import type { CaptureDetail } from "../model/capture";
import type { EndpointAccess } from "../endpoints/access";
import { AppError } from "../errors";
import { EgressError } from "../net/egress-error";
import { assertTargetAllowed } from "../net/ssrf";
import { rulesForEndpoint } from "../redaction/policy";
import { attemptView, outcomeOf, recordAttempt, type AttemptView } from "./attempts";
import { buildReplayRequest, targetForCapture, type ReplayOverrides, type ReplayRequest, type ReplaySource } from "./build-request";
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

export const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export function asAppError(err: unknown): unknown {
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
export async function exactCapture(principal: Principal, captureId: string): Promise<{ detail: CaptureDetail; source: ReplaySource }> {
  const detail = await getCapture(principal, captureId);
  const { body } = await getCaptureBody(principal, captureId);
  return { detail, source: { method: detail.method, path: detail.path, query: detail.query, headers: detail.headers, body } };
}

/** exactCapture within an access decision already taken (the capture read by id within its endpoint). */
async function exactCaptureOf(access: EndpointAccess, captureId: string): Promise<{ detail: CaptureDetail; source: ReplaySource }> {
  const detail = await getCaptureOfEndpoint(access.endpointId, captureId);
  const body = await storedBody(captureId);
  return { detail, source: { method: detail.method, path: detail.path, query: detail.query, headers: detail.headers, body } };
}

/** The request a replay would send: the capture with the edits, credentials dropped unless asked. */
export function editedRequest(
  source: ReplaySource,
  url: string,
  input: Omit<ReplayOverrides, "url"> & { includeCredentials?: boolean; appendPath?: boolean },
): ReplayRequest {
  const target = input.appendPath ? targetForCapture(url, source) : url;
  const built = buildReplayRequest(source, {
    url: target,
    method: input.method,
    headers: input.headers,
    body: input.body,
    bodyBase64: input.bodyBase64,
  });
  return input.includeCredentials ? built : { ...built, headers: dropCredentials(built.headers) };
}

/**
 * Replays a capture from the server through the guarded egress client and stores the attempt.
 * A target the guard refuses before anything is sent answers 422 `target_forbidden` and stores
 * nothing (the refusal is audited); a redirect refused after the first hop is a stored attempt
 * whose error is `target_forbidden`. `access` is the route's decision (captureAccess with
 * capture.replay on this capture): it is not checked again here.
 */
export async function replayCapture(
  principal: Principal,
  access: EndpointAccess,
  captureId: string,
  input: ReplayInput,
  ip: string | null,
): Promise<AttemptView> {
  const { detail, source } = await exactCaptureOf(access, captureId);
  if (detail.rejected)
    throw new AppError("not_replayable", "This capture was refused when it arrived (no body was stored), so it cannot be replayed.");
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
    await audit(principal, {
      workspaceId: access.workspaceId,
      action: "capture.replay",
      targetType: "capture",
      targetId: captureId,
      detail: { ...auditDetail, outcome: "refused", reason: err.code },
      ip,
    });
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
  if (
    result.error &&
    result.redirects.length === 0 &&
    ["target_forbidden", "invalid_target", "invalid_request"].includes(result.error.code)
  ) {
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
