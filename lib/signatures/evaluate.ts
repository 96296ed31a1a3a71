/**
 * Verification of stored captures (server side): the exact stored bytes and raw header list, the public capture
 * URL (token URL, and the alias URL when there is one), the endpoint's saved secrets or a one-off secret. Builds on
 * the pure dispatcher `verifyCapture` (lib/signatures/verify-capture.ts); adds which saved secret matched, the status
 * (valid / invalid / stale / unknown) and the masking of signature values for callers who did not reveal.
 */
import "../runtime/server-only";
import { db } from "../db/client";
import { captureUrl } from "../endpoints/endpoints";
import { invalid, notFound } from "../errors";
import type { HeaderPairs } from "../model/capture";
import { redactQuery } from "../redaction/mask";
import type { RedactionRule } from "../redaction/rules";
import { detectProvider } from "./detect";
import type { Diagnosis } from "./diagnosis";
import { schemeFor, type ProviderSpec, type ProviderVerifyInput, type SecretKind } from "./provider";
import { parseGenericOptions } from "./providers/generic";
import { getProvider, type ProviderId } from "./registry";
import { verifyCapture, type CaptureVerification } from "./verify-capture";
import { candidatesFor, type SecretCandidateRow } from "./secrets";
import { secretProblem } from "./secret-encoding";
import { fingerprint } from "./secret-box";
import type { GenericHmacOptions, VerifyResult } from "./types";

export type SignatureStatus = "valid" | "invalid" | "stale" | "unknown";

/** A capture as stored: raw headers (wire order) and the exact body bytes. */
export interface StoredCapture {
  id: string;
  endpointId: string;
  method: string;
  path: string;
  query: string;
  headers: HeaderPairs;
  body: Uint8Array;
  contentType: string | null;
  receivedAt: number;
}

export interface EndpointKeys {
  token: string;
  alias: string | null;
}

export const storedSelect = {
  id: true,
  endpointId: true,
  method: true,
  path: true,
  query: true,
  headers: true,
  body: true,
  contentType: true,
  receivedAt: true,
} as const;

export function toStored(row: {
  id: string;
  endpointId: string;
  method: string;
  path: string;
  query: string;
  headers: string;
  body: Uint8Array;
  contentType: string | null;
  receivedAt: bigint;
}): StoredCapture {
  return { ...row, headers: JSON.parse(row.headers) as HeaderPairs, receivedAt: Number(row.receivedAt) };
}

/** The stored capture with its endpoint's token and alias. The caller has checked access. */
export async function loadStoredCapture(captureId: string): Promise<{ capture: StoredCapture; endpoint: EndpointKeys }> {
  const row = await db().capture.findUnique({
    where: { id: captureId },
    select: { ...storedSelect, endpoint: { select: { token: true, alias: true } } },
  });
  if (!row) throw notFound("capture");
  const { endpoint, ...rest } = row;
  return { capture: toStored(rest), endpoint };
}

/** Public URLs the sender may have called: the token URL first, then the alias URL. */
export function captureUrls(capture: Pick<StoredCapture, "path" | "query">, endpoint: EndpointKeys): string[] {
  const suffix = `${capture.path}${capture.query ? `?${capture.query}` : ""}`;
  const urls = [`${captureUrl(endpoint.token)}${suffix}`];
  if (endpoint.alias) urls.push(`${captureUrl(endpoint.alias)}${suffix}`);
  return urls;
}

/** The provider of a capture: detected from the raw headers (and body only when needed). */
export function detectedProvider(capture: StoredCapture): ProviderId | null {
  return detectProvider(capture.headers, capture.body).provider;
}

// ---------------------------------------------------------------------------------------------------------------
// Quick check: the providers' verifiers only (no diagnosis), for statuses and for picking the matching secret

interface Attempt {
  secret: string;
  generic: GenericHmacOptions | null;
  candidate: SecretCandidateRow | null;
}

type QuickOutcome = { attempt: number; url: string | undefined; outcome: "valid" | "stale" };

const onlyTimestamp = (r: VerifyResult) => r.reasons.every((x) => x.code === "timestamp_outside_tolerance");

function baseInput(capture: StoredCapture, now: number, toleranceSeconds: number | undefined): Omit<ProviderVerifyInput, "secret"> {
  return {
    body: capture.body,
    headers: capture.headers,
    method: capture.method,
    now,
    ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}),
  };
}

/** The first attempt × URL that verifies (valid), else the first whose signature matches out of the window (stale). */
function quickCheck(spec: ProviderSpec, base: Omit<ProviderVerifyInput, "secret">, attempts: readonly Attempt[], urls: readonly string[]): QuickOutcome | null {
  const urlList: readonly (string | undefined)[] = spec.signsUrl || spec.id === "generic" ? urls : [urls[0]];
  let stale: QuickOutcome | null = null;
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i]!;
    if (a.secret === "") continue;
    if (spec.id === "generic" && a.generic === null) continue;
    for (const url of urlList) {
      let r: VerifyResult;
      try {
        r = spec.verify({ ...base, secret: a.secret, ...(url !== undefined ? { url } : {}), ...(a.generic ? { generic: a.generic } : {}) });
      } catch {
        continue;
      }
      if (r.valid) return { attempt: i, url, outcome: "valid" };
      if (stale === null && r.signatureMatches && r.timestamp.withinTolerance === false && onlyTimestamp(r)) stale = { attempt: i, url, outcome: "stale" };
    }
  }
  return stale;
}

/** Which saved secrets apply to a capture, and under which provider. */
function resolveForStatus(capture: StoredCapture, candidates: readonly SecretCandidateRow[]): { spec: ProviderSpec<ProviderId> | null; attempts: Attempt[] } {
  const detected = detectedProvider(capture);
  if (detected !== null) {
    const spec = getProvider(detected)!;
    return { spec, attempts: candidatesFor(candidates, spec.id).map((c) => ({ secret: c.secret, generic: c.generic, candidate: c })) };
  }
  const generic = candidates.filter((c) => c.provider === "generic");
  return { spec: generic.length > 0 ? getProvider("generic") : null, attempts: generic.map((c) => ({ secret: c.secret, generic: c.generic, candidate: c })) };
}

/**
 * The status of a stored capture against the endpoint's saved secrets, judged at the time it was received:
 * valid, stale (a saved secret matches but the timestamp was out of the window), invalid (none matches), or
 * unknown (no provider recognised, or no saved secret for it).
 */
export function captureStatus(capture: StoredCapture, endpoint: EndpointKeys, candidates: readonly SecretCandidateRow[]): { provider: ProviderId | null; status: SignatureStatus } {
  const { spec, attempts } = resolveForStatus(capture, candidates);
  if (spec === null) return { provider: null, status: "unknown" };
  if (attempts.length === 0) return { provider: spec.id, status: "unknown" };
  const found = quickCheck(spec, baseInput(capture, capture.receivedAt, undefined), attempts, captureUrls(capture, endpoint));
  return { provider: spec.id, status: found === null ? "invalid" : found.outcome };
}

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

const CAUSES = new Set(["body_reserialized", "trailing_newline", "secret_encoding", "other_secret", "url_variant", "signature_encoding", "timestamp_units"]);
const hasCause = (d: readonly Diagnosis[]) => d.some((x) => CAUSES.has(x.code));
/** Failed candidates diagnosed when none matched, at most (each diagnosis is bounded on its own). */
const MAX_DIAGNOSED = 3;

export function statusOf(r: CaptureVerification): SignatureStatus {
  if (r.valid) return "valid";
  if (r.reasons.some((x) => x.code === "missing_secret" || x.code === "unknown_provider" || x.code === "missing_generic_options")) return "unknown";
  if (r.signatureMatches && r.timestamp.withinTolerance === false && r.reasons.every((x) => x.code === "timestamp_outside_tolerance")) return "stale";
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
    const kind = schemeFor(spec, { body: capture.body, headers: capture.headers, secret: "", now, ...(genericOverride ? { generic: genericOverride } : {}) }).secretKind;
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
      spec === null ? null : schemeFor(spec, { body: capture.body, headers: capture.headers, secret: "", now, ...(attempt?.generic ? { generic: attempt.generic } : {}) });
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

// ---------------------------------------------------------------------------------------------------------------
// Masking for callers who did not reveal: signature values shortened, token schemes hidden, URLs' queries masked

/** Enough of a signature to compare by eye; not enough to replay it. */
export function abbreviate(value: string): string {
  if (value.length <= 12) return `${value.slice(0, 3)}…`;
  return `${value.slice(0, 10)}…${value.slice(-4)}`;
}

const hiddenToken = (value: string) => `•••••• (${value.length} characters)`;

function maskUrl(url: string, rules: readonly RedactionRule[]): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  return url.slice(0, q + 1) + redactQuery(url.slice(q + 1), rules).query;
}

export function maskOutcome(r: VerifyOutcome, rules: readonly RedactionRule[]): VerifyOutcome {
  // A plain token scheme sends the secret itself: nothing of it is shown.
  const short = r.secretKind === "token" ? hiddenToken : abbreviate;
  const urlPairs: [string, string][] = [];
  const mu = (u: string) => {
    const m = maskUrl(u, rules);
    if (m !== u) urlPairs.push([u, m]);
    return m;
  };
  const diagnosis = r.diagnosis.map((d): Diagnosis => {
    if (d.detail === undefined) return d;
    const detail = { ...d.detail };
    if (typeof detail.signature === "string") detail.signature = short(detail.signature);
    for (const k of ["signedUrl", "captureUrl"]) if (typeof detail[k] === "string") detail[k] = mu(detail[k] as string);
    let message = d.message;
    for (const [raw, masked] of urlPairs) message = message.split(raw).join(masked);
    return { ...d, message, detail };
  });
  return {
    ...r,
    expected: r.expected === null ? null : short(r.expected),
    received: r.received.map(short),
    matchedSignature: r.matchedSignature === null ? null : short(r.matchedSignature),
    url: r.url === null ? null : mu(r.url),
    diagnosis,
    revealed: false,
  };
}
