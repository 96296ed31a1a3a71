// The signature status of a stored capture against the endpoint's saved secrets (lists, checks), and the quick
// check the verify API (evaluate.ts) also uses to pick the matching secret.
import type { ProviderSpec, ProviderVerifyInput } from "./provider";
import { getProvider, type ProviderId } from "./registry";
import { candidatesFor, type SecretCandidateRow } from "./secrets";
import { captureUrls, detectedProvider, type EndpointKeys, type StoredCapture } from "./stored-capture";
import type { GenericHmacOptions, VerifyResult } from "./types";

export type SignatureStatus = "valid" | "invalid" | "stale" | "unknown";

// ---------------------------------------------------------------------------------------------------------------
// Quick check: the providers' verifiers only (no diagnosis), for statuses and for picking the matching secret

export interface Attempt {
  secret: string;
  generic: GenericHmacOptions | null;
  candidate: SecretCandidateRow | null;
}

type QuickOutcome = { attempt: number; url: string | undefined; outcome: "valid" | "stale" };

const onlyTimestamp = (r: VerifyResult) => r.reasons.every((x) => x.code === "timestamp_outside_tolerance");

export function baseInput(capture: StoredCapture, now: number, toleranceSeconds: number | undefined): Omit<ProviderVerifyInput, "secret"> {
  return {
    body: capture.body,
    headers: capture.headers,
    method: capture.method,
    now,
    ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}),
  };
}

/** The first attempt × URL that verifies (valid), else the first whose signature matches out of the window (stale). */
export function quickCheck(
  spec: ProviderSpec,
  base: Omit<ProviderVerifyInput, "secret">,
  attempts: readonly Attempt[],
  urls: readonly string[],
): QuickOutcome | null {
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
      if (stale === null && r.signatureMatches && r.timestamp.withinTolerance === false && onlyTimestamp(r))
        stale = { attempt: i, url, outcome: "stale" };
    }
  }
  return stale;
}

/** Which saved secrets apply to a capture, and under which provider. */
function resolveForStatus(
  capture: StoredCapture,
  candidates: readonly SecretCandidateRow[],
): { spec: ProviderSpec<ProviderId> | null; attempts: Attempt[] } {
  const detected = detectedProvider(capture);
  if (detected !== null) {
    const spec = getProvider(detected)!;
    return { spec, attempts: candidatesFor(candidates, spec.id).map((c) => ({ secret: c.secret, generic: c.generic, candidate: c })) };
  }
  const generic = candidates.filter((c) => c.provider === "generic");
  return {
    spec: generic.length > 0 ? getProvider("generic") : null,
    attempts: generic.map((c) => ({ secret: c.secret, generic: c.generic, candidate: c })),
  };
}

/**
 * The status of a stored capture against the endpoint's saved secrets, judged at the time it was received:
 * valid, stale (a saved secret matches but the timestamp was out of the window), invalid (none matches), or
 * unknown (no provider recognised, or no saved secret for it).
 */
export function captureStatus(
  capture: StoredCapture,
  endpoint: EndpointKeys,
  candidates: readonly SecretCandidateRow[],
): { provider: ProviderId | null; status: SignatureStatus } {
  const { spec, attempts } = resolveForStatus(capture, candidates);
  if (spec === null) return { provider: null, status: "unknown" };
  if (attempts.length === 0) return { provider: spec.id, status: "unknown" };
  const found = quickCheck(spec, baseInput(capture, capture.receivedAt, undefined), attempts, captureUrls(capture, endpoint));
  return { provider: spec.id, status: found === null ? "invalid" : found.outcome };
}
