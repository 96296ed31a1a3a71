/** Header lookup, constant-time comparison and result assembly shared by the verifiers. */
import { createHash, createHmac, timingSafeEqual, type Hash } from "node:crypto";
import type { HeaderList, Reason, TimestampInfo, VerifyInput, VerifyResult } from "./types";

/** First value of a header (case-insensitive name), or null. */
export function getHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return null;
}

/** Every value of a header (case-insensitive name), in wire order. */
export function getHeaders(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export type CompareOutcome = "equal" | "different" | "length";

/** Constant-time compare of two strings' UTF-8 bytes; a length mismatch is reported separately. */
export function safeCompare(a: string, b: string): CompareOutcome {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  if (ab.length !== bb.length) return "length";
  return timingSafeEqual(ab, bb) ? "equal" : "different";
}

export interface CandidateMatch {
  matched: string | null;
  lengthMismatch: boolean;
}

/** Compares `expected` against every candidate (no early exit) and reports the first that matched. */
export function matchCandidates(
  expected: string,
  candidates: readonly string[],
  normalize: (s: string) => string = (s) => s,
): CandidateMatch {
  let matched: string | null = null;
  let lengthMismatch = false;
  for (const c of candidates) {
    const outcome = safeCompare(expected, normalize(c));
    if (outcome === "equal" && matched === null) matched = c;
    if (outcome === "length") lengthMismatch = true;
  }
  return { matched, lengthMismatch };
}

export type HmacAlgorithm = "sha1" | "sha256" | "sha512";

/** HMAC over the concatenation of parts (strings are UTF-8; byte arrays used as-is). */
export function hmac(algorithm: HmacAlgorithm, key: string | Uint8Array, parts: readonly (string | Uint8Array)[]): Buffer {
  const h = createHmac(algorithm, key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The HMAC key of a request: the raw `secretBytes` override when given, otherwise the secret as UTF-8. */
export function hmacKey(input: Pick<VerifyInput, "secret" | "secretBytes">): string | Uint8Array {
  return input.secretBytes ?? input.secret;
}

/** A SHA-256 hash already fed with the key (HubSpot v1/v2 hash secret + content). */
export function secretHash(input: Pick<VerifyInput, "secret" | "secretBytes">): Hash {
  const h = createHash("sha256");
  return input.secretBytes !== undefined ? h.update(input.secretBytes) : h.update(input.secret, "utf8");
}

export function concatBytes(parts: readonly (string | Uint8Array)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
}

/** Parses an integer Unix timestamp in seconds; null when not a plain integer. */
export function parseTimestamp(raw: string): number | null {
  const t = raw.trim();
  if (!/^\d{1,15}$/.test(t)) return null;
  return Number(t);
}

export const NO_TIMESTAMP: TimestampInfo = { value: null, skewSeconds: null, withinTolerance: null };

/**
 * Evaluates a signed timestamp (seconds) against `now` (ms). `toleranceSeconds` null means no window applies.
 * pastOnly: only deliveries older than the window fail (Stripe SDK semantics).
 */
export function checkTimestamp(value: number, now: number, toleranceSeconds: number | null, pastOnly = false): TimestampInfo {
  const skewSeconds = Math.floor(now / 1000) - value;
  let withinTolerance: boolean | null = null;
  if (toleranceSeconds !== null) {
    withinTolerance = pastOnly ? skewSeconds <= toleranceSeconds : Math.abs(skewSeconds) <= toleranceSeconds;
  }
  return { value, skewSeconds, withinTolerance };
}

export function reason(code: Reason["code"], message: string): Reason {
  return { code, message };
}

export interface ResultParts {
  expected: string | null;
  received: string[];
  matched: string | null;
  lengthMismatch?: boolean;
  timestamp?: TimestampInfo;
  reasons?: Reason[];
  /** Set false to suppress the automatic no_match reason (e.g. the request could not be evaluated at all). */
  evaluated?: boolean;
}

/** Assembles a VerifyResult: adds no_match / signature_length / timestamp reasons and computes `valid`. */
export function buildResult(provider: string, parts: ResultParts): VerifyResult {
  const reasons = [...(parts.reasons ?? [])];
  const timestamp = parts.timestamp ?? NO_TIMESTAMP;
  const signatureMatches = parts.matched !== null;
  if (!signatureMatches && parts.evaluated !== false) {
    if (parts.lengthMismatch) {
      reasons.push(
        reason("signature_length", "A received signature has a different length than the expected one (wrong encoding or algorithm?)."),
      );
    }
    reasons.push(
      reason(
        "no_match",
        parts.received.length > 1
          ? `None of the ${parts.received.length} received signatures matches.`
          : "The received signature does not match.",
      ),
    );
  }
  if (timestamp.withinTolerance === false) {
    reasons.push(
      reason(
        "timestamp_outside_tolerance",
        `The signed timestamp is ${Math.abs(timestamp.skewSeconds ?? 0)} s ${(timestamp.skewSeconds ?? 0) >= 0 ? "old" : "in the future"}, outside the replay window.`,
      ),
    );
  }
  const valid = signatureMatches && timestamp.withinTolerance !== false && reasons.length === 0;
  return {
    provider,
    signatureMatches,
    matchedSignature: parts.matched,
    expected: parts.expected,
    received: parts.received,
    timestamp,
    valid,
    reasons,
  };
}

/** Result for a request that could not be evaluated (missing/malformed header, bad key …). */
export function failResult(provider: string, reasons: Reason[], received: string[] = [], timestamp?: TimestampInfo): VerifyResult {
  return buildResult(provider, { expected: null, received, matched: null, reasons, evaluated: false, timestamp });
}

export function missingHeader(name: string): Reason {
  return reason("missing_header", `Header ${name} is missing.`);
}

/**
 * Like checkTimestamp, for schemes whose signed timestamp is in milliseconds (or parsed from text).
 * `value` is reported in seconds (may be fractional); the skew is computed at ms precision.
 */
export function checkTimestampMs(valueMs: number, now: number, toleranceSeconds: number | null, pastOnly = false): TimestampInfo {
  const skewSeconds = (now - valueMs) / 1000;
  let withinTolerance: boolean | null = null;
  if (toleranceSeconds !== null) {
    withinTolerance = pastOnly ? skewSeconds <= toleranceSeconds : Math.abs(skewSeconds) <= toleranceSeconds;
  }
  return { value: valueMs / 1000, skewSeconds, withinTolerance };
}
