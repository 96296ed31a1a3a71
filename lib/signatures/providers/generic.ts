/**
 * Generic HMAC verifier for providers without a dedicated scheme: algorithm, signature header, optional prefix,
 * hex/base64 encoding and a signed-content template with `{timestamp}`, `{body}` and `{url}` placeholders.
 */
import {
  buildResult,
  checkTimestamp,
  failResult,
  getHeader,
  getHeaders,
  hmac,
  matchCandidates,
  missingHeader,
  parseTimestamp,
  reason,
} from "../compare";
import { decodeBase64Strict, decodeHexStrict } from "../secret-encoding";
import type { GenericHmacOptions, TimestampInfo, VerifyInput, VerifyResult } from "../types";
import { defineProvider } from "../provider";

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
    return failResult(
      provider,
      [reason("malformed_header", "The template uses {timestamp} but no timestamp header is configured.")],
      received,
    );
  }
  if (template.includes("{url}") && (input.url === undefined || input.url === "")) {
    return failResult(
      provider,
      [reason("missing_url", "The template uses {url}; the public capture URL is required.")],
      received,
      timestamp,
    );
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
    if (!decoded.ok)
      return failResult(provider, [reason("invalid_key", `The secret (configured as ${enc}) ${decoded.error}.`)], received, timestamp);
    key = decoded.bytes;
  }
  const expected = prefix + hmac(options.algorithm, key, parts).toString(options.encoding);
  const normalize =
    options.encoding === "hex" ? (s: string) => (s.startsWith(prefix) ? prefix + s.slice(prefix.length).toLowerCase() : s) : undefined;
  const { matched, lengthMismatch } = matchCandidates(expected, received, normalize);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

export const generic = defineProvider({
  id: "generic",
  name: "Generic HMAC",
  summary: "Configurable HMAC: algorithm, header, prefix, hex/base64, signed-content template.",
  secretLabel: "Secret",
  verify: (input) => {
    if (input.generic === undefined) throw new Error("generic HMAC options are required");
    return verifyGenericHmac(input, input.generic);
  },
  schemeFor: (input) => {
    const g = input.generic;
    if (g === undefined) return {};
    return {
      secretKind: g.secretEncoding === "base64" ? "base64" : g.secretEncoding === "hex" ? "hex" : "utf8",
      signsUrl: (g.template ?? "{body}").includes("{url}"),
      toleranceSeconds: g.timestampHeader !== undefined ? (g.toleranceSeconds ?? 300) : null,
      timestampUnit: g.timestampHeader !== undefined ? "s" : null,
      timestampSource: g.timestampHeader !== undefined ? { header: g.timestampHeader } : null,
    };
  },
});

// Generic HMAC options from untrusted JSON (the verify API body and saved secrets)

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/** Validates generic HMAC options received as JSON; returns the typed options or a plain-words error. */
export function parseGenericOptions(raw: unknown): { ok: true; options: GenericHmacOptions } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail("Generic HMAC options must be an object.");
  const o = raw as Record<string, unknown>;
  const { algorithm, header, prefix, encoding, template, timestampHeader, toleranceSeconds, secretEncoding } = o;
  if (algorithm !== "sha1" && algorithm !== "sha256" && algorithm !== "sha512") return fail("algorithm must be sha1, sha256 or sha512.");
  if (typeof header !== "string" || !HEADER_NAME.test(header)) return fail("header must be a header name.");
  if (encoding !== "hex" && encoding !== "base64") return fail("encoding must be hex or base64.");
  if (prefix !== undefined && (typeof prefix !== "string" || prefix.length > 40))
    return fail("prefix must be a string of at most 40 characters.");
  if (template !== undefined && (typeof template !== "string" || template.length === 0 || template.length > 200)) {
    return fail("template must be a non-empty string of at most 200 characters, e.g. {timestamp}.{body}.");
  }
  if (template !== undefined && !template.includes("{body}") && !template.includes("{url}"))
    return fail("template must include {body} (or {url}).");
  if (timestampHeader !== undefined && (typeof timestampHeader !== "string" || !HEADER_NAME.test(timestampHeader))) {
    return fail("timestampHeader must be a header name.");
  }
  if (
    toleranceSeconds !== undefined &&
    (typeof toleranceSeconds !== "number" || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0)
  ) {
    return fail("toleranceSeconds must be a non-negative number.");
  }
  if (secretEncoding !== undefined && secretEncoding !== "utf8" && secretEncoding !== "base64" && secretEncoding !== "hex") {
    return fail("secretEncoding must be utf8, base64 or hex.");
  }
  return {
    ok: true,
    options: {
      algorithm,
      header,
      encoding,
      ...(prefix !== undefined ? { prefix } : {}),
      ...(template !== undefined ? { template } : {}),
      ...(timestampHeader !== undefined ? { timestampHeader } : {}),
      ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}),
      ...(secretEncoding !== undefined ? { secretEncoding } : {}),
    },
  };
}
