/**
 * Generic HMAC verifier for providers without a dedicated scheme: algorithm, signature header, optional prefix,
 * hex/base64 encoding and a signed-content template with `{timestamp}`, `{body}` and `{url}` placeholders.
 */
import { buildResult, checkTimestamp, failResult, getHeader, getHeaders, hmac, matchCandidates, missingHeader, parseTimestamp, reason, type HmacAlgorithm } from "./compare";
import { decodeBase64Strict, decodeHexStrict } from "./secret-encoding";
import type { TimestampInfo, VerifyInput, VerifyResult } from "./types";

export interface GenericHmacOptions {
  algorithm: HmacAlgorithm;
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

export function verifyGenericHmac(input: VerifyInput, options: GenericHmacOptions): VerifyResult {
  const provider = "generic-hmac";
  const prefix = options.prefix ?? "";
  const template = options.template ?? "{body}";
  const received = getHeaders(input.headers, options.header).map((v) => v.trim());
  if (received.length === 0) return failResult(provider, [missingHeader(options.header)]);

  let tsRaw: string | null = null;
  let timestamp: TimestampInfo | undefined;
  if (options.timestampHeader !== undefined) {
    tsRaw = getHeader(input.headers, options.timestampHeader);
    if (tsRaw === null) return failResult(provider, [missingHeader(options.timestampHeader)], received);
    const ts = parseTimestamp(tsRaw);
    if (ts === null) return failResult(provider, [reason("malformed_header", `${options.timestampHeader} is not an integer.`)], received);
    timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? options.toleranceSeconds ?? 300);
  } else if (template.includes("{timestamp}")) {
    return failResult(provider, [reason("malformed_header", "The template uses {timestamp} but no timestamp header is configured.")], received);
  }
  if (template.includes("{url}") && (input.url === undefined || input.url === "")) {
    return failResult(provider, [reason("missing_url", "The template uses {url}; the public capture URL is required.")], received, timestamp);
  }

  const parts: (string | Uint8Array)[] = [];
  for (const piece of template.split(/(\{timestamp\}|\{body\}|\{url\})/)) {
    if (piece === "{body}") parts.push(input.body);
    else if (piece === "{timestamp}") parts.push(tsRaw ?? "");
    else if (piece === "{url}") parts.push(input.url ?? "");
    else if (piece !== "") parts.push(piece);
  }
  const enc = options.secretEncoding ?? "utf8";
  let key: string | Uint8Array = input.secretBytes ?? input.secret;
  if (input.secretBytes === undefined && enc !== "utf8" && input.secret !== "") {
    // Strictly decoded: a lenient decoder would accept a secret with a character added or changed (secret-encoding.ts).
    const decoded = enc === "base64" ? decodeBase64Strict(input.secret) : decodeHexStrict(input.secret);
    if (!decoded.ok) return failResult(provider, [reason("invalid_key", `The secret (configured as ${enc}) ${decoded.error}.`)], received, timestamp);
    key = decoded.bytes;
  }
  const expected = prefix + hmac(options.algorithm, key, parts).toString(options.encoding);
  const normalize = options.encoding === "hex" ? (s: string) => (s.startsWith(prefix) ? prefix + s.slice(prefix.length).toLowerCase() : s) : undefined;
  const { matched, lengthMismatch } = matchCandidates(expected, received, normalize);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}
