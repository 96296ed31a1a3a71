// Browser replays for the API routes: the dashboard sent the request from the user's browser and reports it here.
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { audit } from "../audit/audit";
import type { EndpointAccess } from "../endpoints/access";
import { AppError } from "../errors";
import { rulesForEndpoint } from "../redaction/policy";
import { attemptView, MAX_STORED_RESPONSE_BYTES, recordAttempt, type AttemptView } from "./attempts";
import { decodeBase64 } from "./build-request";
import { headerPairsSchema, methodSchema, urlSchema } from "./input";
import { sha256 } from "./service";

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
    error: z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), message: z.string().max(1000) }).nullish(),
    durationMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .refine((v) => (v.response ? 1 : 0) + (v.error ? 1 : 0) === 1, { message: "give exactly one of response and error", path: ["response"] });

/** The JSON a browser-attempt report may take: two bodies of 1 MiB as base64, and headers. */
export const BROWSER_ATTEMPT_MAX_JSON = 4 * 1024 * 1024;

function bodyOf(part: { body?: string; bodyBase64?: string }, what: string): Uint8Array {
  if (part.body !== undefined && part.bodyBase64 !== undefined)
    throw new AppError("invalid_request", `${what}: give either body or bodyBase64, not both.`);
  if (part.bodyBase64 !== undefined) {
    const bytes = decodeBase64(part.bodyBase64);
    if (!bytes) throw new AppError("invalid_request", `${what}.bodyBase64 is not valid base64.`);
    return bytes;
  }
  return new TextEncoder().encode(part.body ?? "");
}

/** `access` is the route's decision (captureAccess with capture.replay on this capture): not checked again here. */
export async function recordBrowserAttempt(
  principal: Principal,
  access: EndpointAccess,
  captureId: string,
  input: z.infer<typeof browserAttemptSchema>,
  ip: string | null,
): Promise<AttemptView> {
  let url: URL;
  try {
    url = new URL(input.request.url);
  } catch {
    throw new AppError("invalid_target", "request.url is not a valid absolute URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("invalid_target", "request.url must be http or https.");
  const reqBody = bodyOf(input.request, "request");
  if (reqBody.byteLength > BROWSER_BODY_MAX)
    throw new AppError("body_too_large", `request body: at most ${BROWSER_BODY_MAX} bytes are recorded.`);
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
    request: {
      url: input.request.url,
      method: input.request.method.toUpperCase(),
      headers: input.request.headers,
      body: reqBody,
      bodySha256: sha256(reqBody),
    },
    response,
    error: input.error ?? null,
    durationMs: input.durationMs ?? response?.durationMs ?? 0,
  });
  await audit(principal, {
    workspaceId: access.workspaceId,
    action: "capture.replay",
    targetType: "capture",
    targetId: captureId,
    detail: {
      endpointId: access.endpointId,
      kind: "browser",
      attemptId: row.id,
      target: url.origin,
      method: row.requestMethod,
      status: row.responseStatus,
      error: row.errorCode,
    },
    ip,
  });
  return attemptView(row, await rulesForEndpoint(access.endpointId));
}
