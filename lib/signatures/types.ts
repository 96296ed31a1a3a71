/** Shared types for the pure webhook signature verifiers (no I/O). */

export type HeaderList = readonly (readonly [string, string])[];

export interface VerifyInput {
  /** The exact stored request-body bytes. */
  body: Uint8Array;
  /** Raw headers in wire order, names as sent (looked up case-insensitively). */
  headers: HeaderList;
  /** Public capture URL incl. path and query (URL-signing schemes only). */
  url?: string;
  /** Secret, signing key or (for SendGrid / Discord) public key. */
  secret: string;
  /**
   * Raw key bytes that replace `secret` as the HMAC key (for Standard Webhooks: instead of the base64-decoded
   * secret). Token and public-key schemes ignore it. Used by the diagnosis to try other secret encodings.
   */
  secretBytes?: Uint8Array;
  /** Reference time in ms since the epoch. */
  now: number;
  /** Replay window override in seconds. */
  toleranceSeconds?: number;
}

export type ReasonCode =
  | "missing_header"
  | "malformed_header"
  | "missing_url"
  | "invalid_key"
  | "unsupported_version"
  | "no_match"
  | "signature_length"
  | "timestamp_outside_tolerance"
  | "body_hash_mismatch";

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface TimestampInfo {
  /** Signed timestamp in seconds (as sent), or null when absent / not part of the scheme. */
  value: number | null;
  /** now − timestamp in seconds (positive = delivery is older than now). */
  skewSeconds: number | null;
  /** null when the scheme has no timestamp or no window applies. */
  withinTolerance: boolean | null;
}

export interface VerifyResult {
  provider: string;
  signatureMatches: boolean;
  matchedSignature: string | null;
  expected: string | null;
  received: string[];
  timestamp: TimestampInfo;
  valid: boolean;
  reasons: Reason[];
}

/** Options of the generic HMAC scheme (providers/generic.ts). */
export interface GenericHmacOptions {
  algorithm: "sha1" | "sha256" | "sha512";
  /** Header carrying the signature (every occurrence is evaluated). */
  header: string;
  /** Prefix in front of the encoded digest, e.g. "sha256=" (optional). */
  prefix?: string;
  encoding: "hex" | "base64";
  /** Signed content, default "{body}". */
  template?: string;
  /** Header carrying the timestamp (required when the template uses {timestamp}). */
  timestampHeader?: string;
  /** Replay window when a timestamp header is configured, default 300 s (input.toleranceSeconds wins). */
  toleranceSeconds?: number;
  /** Secret encoding: used as UTF-8 (default), or decoded from base64 / hex. */
  secretEncoding?: "utf8" | "base64" | "hex";
}
