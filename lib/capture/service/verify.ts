/**
 * Verifying one capture's signature for a caller, a capture view like the others in this folder. Verification needs
 * `capture.read` (viewers verify with saved secrets or a one-off secret); full signature values need
 * `capture.reveal` (member, audited).
 *
 * A caller who cannot reveal (viewer, viewer token) verifies the masked capture, exactly what they may see
 * (../view.ts maskedCapture), not the stored one: the verifier reads whatever header, timestamp header,
 * body and URL the request names, and echoes, shortens or compares them, so over the stored capture it would be an
 * oracle for masked values (a generic scheme pointed at `X-Api-Key` returned it; a guessed token confirmed it).
 * Over the masked capture a masked value is the mask, and nothing of the original can come back. Members who
 * did not reveal verify the stored capture (they may reveal it anyway) with values shortened.
 */
import "../../runtime/server-only";
import { z } from "zod";
import type { Principal } from "../../auth/principal";
import { audit } from "../../audit/audit";
import { can } from "../../auth/roles";
import { captureAccess } from "../../endpoints/access";
import { invalid } from "../../errors";
import { rulesForEndpoint } from "../../redaction/policy";
import { verifyStored, type VerifyOutcome } from "../../signatures/evaluate";
import { maskOutcome } from "../../signatures/mask-outcome";
import { loadStoredCapture } from "../../signatures/stored-capture";
import { loadCandidates, MAX_SECRET_LENGTH } from "../../signatures/secrets";
import { maskedCapture } from "../view";

/** `now`: milliseconds or seconds since the epoch (below 10^11 = seconds), or an ISO 8601 date. */
const nowSchema = z.union([
  z
    .number()
    .finite()
    .nonnegative()
    .transform((n) => (n < 1e11 ? n * 1000 : n)),
  z
    .string()
    .trim()
    .min(1)
    .max(40)
    .transform((s, ctx) => {
      const t = Date.parse(s);
      if (Number.isNaN(t)) {
        ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date or a number of (milli)seconds since the epoch" });
        return z.NEVER;
      }
      return t;
    }),
]);

export const verifySchema = z.object({
  provider: z.string().trim().min(1).max(40).optional(),
  secret: z.string().min(1, "secret must not be empty").max(MAX_SECRET_LENGTH).optional(),
  secretId: z.string().trim().min(1).max(100).optional(),
  now: nowSchema.optional(),
  toleranceSeconds: z
    .number()
    .finite()
    .nonnegative()
    .max(10 * 365 * 86_400)
    .optional(),
  generic: z.unknown().optional(),
  /** Full signature values (member and up; audited as capture.reveal). */
  reveal: z.boolean().optional(),
});

export type VerifyRequest = z.infer<typeof verifySchema>;

export interface VerifyAnswer extends VerifyOutcome {
  captureId: string;
  /** The endpoint stores captures masked (redact at ingest): signatures over masked bytes cannot verify. */
  redactedAtIngest: boolean;
  /** Verified over the masked capture (the caller cannot reveal): masked values are not the bytes that were signed. */
  maskedCapture: boolean;
}

export async function verifyCaptureFor(
  principal: Principal,
  captureId: string,
  input: VerifyRequest,
  ip: string | null,
): Promise<VerifyAnswer> {
  if (input.secret !== undefined && input.secretId !== undefined) throw invalid("secret, secretId: give one or the other, not both.");
  const access = await captureAccess(principal, captureId, input.reveal ? "capture.reveal" : "capture.read");
  const { capture: stored, endpoint } = await loadStoredCapture(captureId);
  const ownView = !can(access.role, "capture.reveal");
  const rules = input.reveal && !ownView ? null : await rulesForEndpoint(access.endpointId);
  let capture = stored;
  if (ownView && rules) {
    const seen = await maskedCapture(stored, rules);
    capture = { ...stored, headers: seen.headers, query: seen.query, body: seen.body };
  }
  const candidates = await loadCandidates(access.endpointId);
  const outcome = verifyStored(capture, endpoint, candidates, {
    ...(input.provider !== undefined ? { provider: input.provider } : {}),
    ...(input.secret !== undefined ? { secret: input.secret } : {}),
    ...(input.secretId !== undefined ? { secretId: input.secretId } : {}),
    ...(input.now !== undefined ? { now: input.now } : {}),
    ...(input.toleranceSeconds !== undefined ? { toleranceSeconds: input.toleranceSeconds } : {}),
    ...(input.generic !== undefined ? { generic: input.generic } : {}),
  });
  if (input.reveal) {
    await audit(principal, {
      workspaceId: access.workspaceId,
      action: "capture.reveal",
      targetType: "capture",
      targetId: captureId,
      detail: { endpointId: access.endpointId, part: "signature" },
      ip,
    });
  }
  const shown = rules === null ? outcome : await maskOutcome(outcome, rules);
  return { captureId, ...shown, redactedAtIngest: access.redactAtIngest, maskedCapture: ownView };
}
