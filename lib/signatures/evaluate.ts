/**
 * Verification of stored captures (server side): the exact stored bytes and raw header list, the public capture
 * URL (token URL, and the alias URL when there is one), the endpoint's saved secrets or a one-off secret. Builds on
 * the pure dispatcher `verifyCapture` (lib/signatures/verify-capture.ts); adds which saved secret matched, the status
 * (valid / invalid / stale / unknown) and the masking of signature values for callers who did not reveal.
 */
import "../runtime/server-only";
import { invalid, notFound } from "../errors";
import { type Attempt, baseInput, quickCheck, type SignatureStatus } from "./capture-status";
import type { Diagnosis } from "./diagnosis";
import { schemeFor, type SecretKind } from "./provider";
import { parseGenericOptions } from "./providers/generic";
import { getProvider } from "./registry";
import { verifyCapture, type CaptureVerification } from "./verify-capture";
import { candidatesFor, type SecretCandidateRow } from "./secrets";
import { secretProblem } from "./secret-encoding";
import { fingerprint } from "./secret-box";
import { captureUrls, detectedProvider, type EndpointKeys, type StoredCapture } from "./stored-capture";
import type { GenericHmacOptions } from "./types";

// ---------------------------------------------------------------------------------------------------------------
// The verify API

export interface VerifyOptions {
  provider?: string;
  /** One-off secret: used for this check only, never stored or logged. */
  secret?: string;
  secretId?: string;
  /** Reference time (ms); default: when the capture was received. */
  now?: number;
  toleranceSeconds?: number;
  generic?: unknown;
}

export interface SecretUsed {
  source: "saved" | "one-off";
  id: string | null;
  label: string | null;
  fingerprint: string;
}

export interface VerifyOutcome extends CaptureVerification {
  status: SignatureStatus;
  /** How the provider uses the secret (token schemes compare it as is; public-key schemes take a public key). */
  secretKind: SecretKind | null;
  /** The secret the result refers to (the matching one when several were tried). */
  secret: SecretUsed | null;
  /** Saved secrets tried for this provider. */
  secretsTried: number;
  /** The public URL the result refers to (URL-signing schemes), or null. */
  url: string | null;
  /** The reference time used (ms). */
  now: number;
  /** Signature values are shown in full (revealed) or shortened. */
  revealed: boolean;
}

const CAUSES = new Set([
  "body_reserialized",
  "trailing_newline",
  "secret_encoding",
  "other_secret",
  "url_variant",
  "signature_encoding",
  "timestamp_units",
]);
const hasCause = (d: readonly Diagnosis[]) => d.some((x) => CAUSES.has(x.code));
/** Failed candidates diagnosed when none matched, at most (each diagnosis is bounded on its own). */
const MAX_DIAGNOSED = 3;

export function statusOf(r: CaptureVerification): SignatureStatus {
  if (r.valid) return "valid";
  if (r.reasons.some((x) => x.code === "missing_secret" || x.code === "unknown_provider" || x.code === "missing_generic_options"))
    return "unknown";
  if (r.signatureMatches && r.timestamp.withinTolerance === false && r.reasons.every((x) => x.code === "timestamp_outside_tolerance"))
    return "stale";
  return "invalid";
}

function secretUsed(a: Attempt): SecretUsed {
  return a.candidate
    ? { source: "saved", id: a.candidate.id, label: a.candidate.label, fingerprint: a.candidate.fingerprint }
    : { source: "one-off", id: null, label: null, fingerprint: fingerprint(a.secret) };
}

/**
 * Verifies a stored capture for the API: with a one-off secret, one saved secret, or every saved secret of the
 * provider (the matching one is reported; the others feed the `other_secret` diagnosis).
 */
export function verifyStored(
  capture: StoredCapture,
  endpoint: EndpointKeys,
  candidates: readonly SecretCandidateRow[],
  opts: VerifyOptions,
): VerifyOutcome {
  const now = opts.now ?? capture.receivedAt;
  const urls = captureUrls(capture, endpoint);
  const chosen = opts.secretId !== undefined ? (candidates.find((c) => c.id === opts.secretId) ?? null) : null;
  if (opts.secretId !== undefined && chosen === null) throw notFound("signature secret");

  // Provider: as asked, else the chosen secret's, else detected, else generic when generic secrets are saved.
  let providerId: string | null = opts.provider ?? chosen?.provider ?? null;
  // When the provider comes from detection the dispatcher detects it again itself (and reports `detected`).
  const fromDetection = providerId === null;
  if (providerId === null) {
    providerId = detectedProvider(capture);
    if (providerId === null && opts.secret === undefined && candidates.some((c) => c.provider === "generic")) providerId = "generic";
  }
  const spec = providerId === null ? null : getProvider(providerId);
  // Generic options given with the request win over a saved secret's; invalid ones are reported by the dispatcher.
  const genericGiven = opts.generic !== undefined && opts.generic !== null;
  const parsedGeneric = genericGiven ? parseGenericOptions(opts.generic) : null;
  const genericOverride = parsedGeneric?.ok ? parsedGeneric.options : null;
  const applicable = spec === null ? [] : candidatesFor(candidates, spec.id);

  // A one-off secret the scheme must decode (whsec_ base64, base64/hex generic, public keys) is refused when malformed,
  // as the providers' libraries refuse it, rather than verified with whatever a lenient decoder makes of it.
  if (opts.secret !== undefined && spec !== null) {
    const kind = schemeFor(spec, {
      body: capture.body,
      headers: capture.headers,
      secret: "",
      now,
      ...(genericOverride ? { generic: genericOverride } : {}),
    }).secretKind;
    const problem = secretProblem(kind, opts.secret, spec.id);
    if (problem !== null) throw invalid(`secret: ${problem}`);
  }
  let attempts: Attempt[];
  if (opts.secret !== undefined) attempts = [{ secret: opts.secret, generic: genericOverride, candidate: null }];
  else if (chosen !== null) attempts = [{ secret: chosen.secret, generic: genericOverride ?? chosen.generic, candidate: chosen }];
  else attempts = applicable.map((c) => ({ secret: c.secret, generic: genericOverride ?? c.generic, candidate: c }));

  const run = (attempt: Attempt | null, url: string | undefined, others: readonly SecretCandidateRow[]): CaptureVerification => {
    const generic: unknown = genericGiven ? opts.generic : (attempt?.generic ?? undefined);
    return verifyCapture({
      provider: fromDetection && providerId !== "generic" ? null : providerId,
      body: capture.body,
      headers: capture.headers,
      method: capture.method,
      now,
      secret: attempt?.secret ?? null,
      ...(url !== undefined ? { url } : {}),
      ...(opts.toleranceSeconds !== undefined ? { toleranceSeconds: opts.toleranceSeconds } : {}),
      ...(generic !== undefined ? { generic: generic as GenericHmacOptions } : {}),
      otherSecrets: others.filter((c) => c.id !== attempt?.candidate?.id).map((c) => ({ id: c.id, label: c.label, secret: c.secret })),
    });
  };
  const finish = (r: CaptureVerification, attempt: Attempt | null, url: string | undefined): VerifyOutcome => {
    const scheme =
      spec === null
        ? null
        : schemeFor(spec, {
            body: capture.body,
            headers: capture.headers,
            secret: "",
            now,
            ...(attempt?.generic ? { generic: attempt.generic } : {}),
          });
    return {
      ...r,
      status: statusOf(r),
      secretKind: scheme?.secretKind ?? null,
      secret: attempt === null || attempt.secret === "" ? null : secretUsed(attempt),
      secretsTried: opts.secret === undefined && chosen === null ? attempts.length : 0,
      url: scheme?.signsUrl ? (url ?? null) : null,
      now,
      revealed: true,
    };
  };

  if (spec === null || attempts.length === 0 || (genericGiven && !parsedGeneric?.ok)) {
    // Nothing to check with: the dispatcher reports unknown_provider / missing_secret (and the timestamp).
    const a = attempts[0] ?? null;
    return finish(run(a, urls[0], []), a, urls[0]);
  }
  // Explicit secrets are diagnosed against every other saved secret of the provider; when trying all saved
  // secrets, none of the others can match (they were all tried), so they are not re-run.
  const explicit = opts.secret !== undefined || chosen !== null;
  const others = explicit ? applicable : [];
  const found = quickCheck(spec, baseInput(capture, now, opts.toleranceSeconds), attempts, urls);
  if (found !== null) {
    const a = attempts[found.attempt]!;
    return finish(run(a, found.url ?? urls[0], others), a, found.url ?? urls[0]);
  }
  // None matched: diagnose the first candidates (and the alias URL) until one names a likely cause.
  let first: VerifyOutcome | null = null;
  const urlOrder = spec.signsUrl ? urls : [urls[0]!];
  for (const a of attempts.slice(0, MAX_DIAGNOSED)) {
    for (const url of urlOrder) {
      const r = finish(run(a, url, others), a, url);
      first ??= r;
      if (hasCause(r.diagnosis)) return r;
    }
  }
  return first!;
}
