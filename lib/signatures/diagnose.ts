/**
 * Diagnosis of a signature that does not verify: the provider's real verifier is re-run on controlled variations of
 * the request (another saved secret, other secret encodings, the body re-serialised, a trailing newline added or
 * removed, URL variants, the timestamp in other units) and the variation that makes the signature match is reported
 * as the likely cause. A fixed budget bounds the work; no MAC is re-implemented here.
 *
 * Two flags are added without any re-check when the signature does not match: the body length disagrees with
 * Content-Length, and proxy headers (Via, Forwarded, X-Forwarded-*) show the request passed through a proxy.
 */
import { getHeader } from "./compare";
import type { ProviderSpec, ProviderVerifyInput, SchemeDetails, SecretKind, TimestampSource } from "./provider";
import type { HeaderList, VerifyResult } from "./types";
import { decodeBase64Strict, decodeHexStrict } from "./secret-encoding";
import { decodeStandardWebhooksSecret } from "./providers/standard-webhooks";

export type DiagnosisCode =
  | "body_reserialized"
  | "trailing_newline"
  | "secret_encoding"
  | "other_secret"
  | "url_variant"
  | "signature_encoding"
  | "timestamp_units"
  | "content_length_mismatch"
  | "proxy_traces";

export interface Diagnosis {
  code: DiagnosisCode;
  /** Plain words: what likely happened and what to do. */
  message: string;
  /** Machine-readable specifics (the variant that matched, the secret id …); never contains a secret. */
  detail?: Record<string, string | number | boolean | null>;
}

/** A saved secret the diagnosis may try (the route decrypts them; only id and label are ever reported). */
export interface SecretCandidate {
  id: string;
  label: string;
  secret: string;
}

export interface DiagnoseContext {
  spec: ProviderSpec;
  scheme: SchemeDetails;
  /** The input exactly as verified. */
  input: ProviderVerifyInput;
  /** The verification outcome for that input. */
  result: VerifyResult;
  /** False when no secret was given (only other saved secrets are tried). */
  secretGiven: boolean;
  otherSecrets?: readonly SecretCandidate[];
  /** Upper bound on verifier re-runs (default MAX_RECHECKS). */
  maxRechecks?: number;
}

/** Verifier re-runs per diagnosis, at most. */
export const MAX_RECHECKS = 40;
/** Other saved secrets tried, at most. */
export const MAX_OTHER_SECRETS = 10;
/** Bodies larger than this are not re-serialised. */
export const MAX_RESERIALIZE_BYTES = 1024 * 1024;

/** Reasons showing the request could not be evaluated at all: no variation can help. */
const STRUCTURAL = new Set(["missing_header", "malformed_header", "missing_url", "unsupported_version"]);

const hasBodyHashMismatch = (r: VerifyResult) => r.reasons.some((x) => x.code === "body_hash_mismatch");
/** A re-check "fixes" the delivery when the signature matches (and, for Twilio JSON, the body hash does too). */
const fixes = (r: VerifyResult | null): r is VerifyResult => r?.signatureMatches === true && !hasBodyHashMismatch(r);

export function diagnose(ctx: DiagnoseContext): Diagnosis[] {
  const { result, spec, scheme, input } = ctx;
  if (result.valid) return [];
  let budget = ctx.maxRechecks ?? MAX_RECHECKS;
  const recheck = (change: Partial<ProviderVerifyInput>): VerifyResult | null => {
    if (budget <= 0) return null;
    budget -= 1;
    try {
      return spec.verify({ ...input, ...change });
    } catch {
      return null;
    }
  };

  const out: Diagnosis[] = [];
  const signatureProblem = !result.signatureMatches || hasBodyHashMismatch(result);
  const structural = result.reasons.some((r) => STRUCTURAL.has(r.code));

  if (signatureProblem && !structural) {
    const checks: (() => Diagnosis | null)[] = [
      () => otherSecret(ctx, recheck),
      ...(ctx.secretGiven
        ? [
            () => signatureEncoding(ctx),
            () => secretEncoding(ctx, recheck),
            // Newline first: a body that differs only by a trailing newline is not "re-serialised".
            () => trailingNewline(ctx, recheck),
            () => bodyReserialized(ctx, recheck),
            () => urlVariant(ctx, recheck),
            () => timestampRewritten(ctx, recheck),
          ]
        : []),
    ];
    // The first variation that matches is the likely cause; later checks would use the same (wrong) inputs.
    for (const check of checks) {
      const found = check();
      if (found !== null) {
        out.push(found);
        break;
      }
    }
  }

  const units = timestampValueUnits(spec, scheme, input, result);
  if (units !== null && !out.some((d) => d.code === "timestamp_units")) out.push(units);

  if (signatureProblem) {
    const cl = contentLengthMismatch(input);
    if (cl !== null) out.push(cl);
    const proxy = proxyTraces(input.headers, scheme.signsUrl);
    if (proxy !== null) out.push(proxy);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// other_secret

type Recheck = (change: Partial<ProviderVerifyInput>) => VerifyResult | null;

function otherSecret(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const tried = new Set<string>([ctx.input.secret]);
  let count = 0;
  for (const c of ctx.otherSecrets ?? []) {
    if (count >= MAX_OTHER_SECRETS) break;
    if (c.secret === "" || tried.has(c.secret)) continue;
    tried.add(c.secret);
    count += 1;
    if (fixes(recheck({ secret: c.secret }))) {
      return {
        code: "other_secret",
        message:
          `The signature matches your other saved secret "${c.label}". The sender signed this delivery with that secret ` +
          `(for example test vs live mode, a CLI secret, or another endpoint's secret). Use "${c.label}" for this check, ` +
          "or configure the sender with the secret you expected.",
        detail: { secretId: c.id, label: c.label },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// signature_encoding: the received value is the right MAC in the other encoding (no re-check needed)

const SIG_PREFIXES = ["sha1=", "sha256=", "sha512=", "v0=", "v1=", "v1,", "h1="];

function splitPrefix(value: string, extra: string | undefined): [string, string] {
  const prefixes = extra ? [extra, ...SIG_PREFIXES] : SIG_PREFIXES;
  for (const p of prefixes) if (p !== "" && value.startsWith(p)) return [p, value.slice(p.length)];
  return ["", value];
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function decodings(payload: string): { encoding: "hex" | "base64"; bytes: Buffer }[] {
  const out: { encoding: "hex" | "base64"; bytes: Buffer }[] = [];
  if (HEX.test(payload)) out.push({ encoding: "hex", bytes: Buffer.from(payload, "hex") });
  if (B64.test(payload)) out.push({ encoding: "base64", bytes: Buffer.from(payload, payload.includes("-") || payload.includes("_") ? "base64url" : "base64") });
  return out;
}

function signatureEncoding(ctx: DiagnoseContext): Diagnosis | null {
  const { expected, received } = ctx.result;
  if (expected === null) return null;
  const genericPrefix = ctx.input.generic?.prefix;
  const [, expPayload] = splitPrefix(expected, genericPrefix);
  const expEncoding: "hex" | "base64" = HEX.test(expPayload) && expPayload.length % 2 === 0 && !/[g-zG-Z+/=]/.test(expPayload) ? "hex" : "base64";
  const expBytes = Buffer.from(expPayload, expEncoding);
  if (expBytes.length === 0) return null;
  for (const r of received.slice(0, 8)) {
    const [, payload] = splitPrefix(r.trim(), genericPrefix);
    for (const d of decodings(payload)) {
      if (d.encoding !== expEncoding && d.bytes.equals(expBytes)) {
        return {
          code: "signature_encoding",
          message:
            `The received signature is the correct MAC, but encoded as ${d.encoding} where ${ctx.spec.name} uses ${expEncoding}. ` +
            "The secret and the body are right; the sender encodes the digest differently. Fix the encoding at the sender " +
            "(or, for generic HMAC, switch the encoding option).",
          detail: { received: d.encoding, expected: expEncoding, signature: r },
        };
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// secret_encoding

const PREFIX = /^[a-z]{2,12}_/;

function baselineKey(kind: SecretKind, secret: string): Buffer | null {
  switch (kind) {
    case "utf8":
      return Buffer.from(secret, "utf8");
    case "whsec-base64":
      return decodeStandardWebhooksSecret(secret);
    case "base64": {
      const r = decodeBase64Strict(secret);
      return r.ok ? r.bytes : null;
    }
    case "hex": {
      const r = decodeHexStrict(secret);
      return r.ok ? r.bytes : null;
    }
    default:
      return null;
  }
}

/** Only what a sender's decoder would accept (canonical base64 or base64url, even-length hex): see secret-encoding.ts. */
function strictlyDecoded(rest: string, encoding: "base64" | "base64url" | "hex"): Buffer | null {
  if (encoding === "hex") {
    const r = decodeHexStrict(rest);
    return r.ok ? r.bytes : null;
  }
  if (encoding === "base64") {
    const r = decodeBase64Strict(rest);
    return r.ok ? r.bytes : null;
  }
  const bytes = Buffer.from(rest, "base64url");
  return bytes.toString("base64url") === rest.replace(/=+$/, "") ? bytes : null;
}

const KIND_WORDS: Record<SecretKind, string> = {
  utf8: "uses the secret as plain text, exactly as shown (prefix included)",
  "whsec-base64": "base64-decodes the secret after its whsec_ prefix and uses those bytes",
  base64: "base64-decodes the secret (as configured)",
  hex: "hex-decodes the secret (as configured)",
  token: "compares the secret token as plain text",
  "public-key": "uses the public key",
};

interface SecretVariant {
  variant: string;
  words: string;
  bytes: Buffer;
}

function secretVariants(kind: SecretKind, secret: string): SecretVariant[] {
  const base = baselineKey(kind, secret);
  if (base === null) return [];
  const core = secret.trim();
  const prefix = PREFIX.exec(core)?.[0] ?? null;
  const rest = prefix !== null ? core.slice(prefix.length) : core;
  const list: SecretVariant[] = [];
  const trimmed = baselineKey(kind, core);
  if (core !== secret && trimmed !== null) {
    list.push({ variant: "trimmed", words: "trimmed of the whitespace or newline around it", bytes: trimmed });
  }
  list.push({ variant: "text", words: "used as plain text, exactly as saved", bytes: Buffer.from(secret, "utf8") });
  if (core !== secret) list.push({ variant: "text-trimmed", words: "trimmed and used as plain text", bytes: Buffer.from(core, "utf8") });
  if (prefix !== null) {
    list.push({ variant: "text-without-prefix", words: `used as plain text without its "${prefix}" prefix`, bytes: Buffer.from(rest, "utf8") });
  } else {
    list.push({ variant: "text-with-whsec-prefix", words: 'used as plain text with a "whsec_" prefix in front', bytes: Buffer.from(`whsec_${core}`, "utf8") });
  }
  if (B64.test(rest) && rest.length >= 8) {
    const bytes = strictlyDecoded(rest, rest.includes("-") || rest.includes("_") ? "base64url" : "base64");
    if (bytes !== null && bytes.length >= 6) {
      list.push({
        variant: "base64-decoded",
        words: prefix !== null ? `base64-decoded after its "${prefix}" prefix (the bytes used as the key)` : "base64-decoded (the bytes used as the key)",
        bytes,
      });
    }
  }
  const hexBytes = HEX.test(rest) && rest.length >= 16 ? strictlyDecoded(rest, "hex") : null;
  if (hexBytes !== null) list.push({ variant: "hex-decoded", words: "hex-decoded (the bytes used as the key)", bytes: hexBytes });
  const seen: Buffer[] = [base];
  return list.filter((v) => {
    if (seen.some((s) => s.equals(v.bytes))) return false;
    seen.push(v.bytes);
    return true;
  });
}

function secretEncoding(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const kind = ctx.scheme.secretKind;
  const secret = ctx.input.secret;
  const message = (words: string) =>
    `The signature matches when the secret is ${words}. ${ctx.spec.name} ${KIND_WORDS[kind]}, so the sender (or the secret you saved) ` +
    "handles the secret differently. Save the secret in the form that matches, or fix how the sender derives its key.";
  if (kind === "token") {
    const core = secret.trim();
    if (core !== secret && fixes(recheck({ secret: core }))) {
      return {
        code: "secret_encoding",
        message: "The token matches once the whitespace or newline around the saved secret is removed. Save it without the whitespace.",
        detail: { variant: "trimmed" },
      };
    }
    return null;
  }
  for (const v of secretVariants(kind, secret)) {
    if (fixes(recheck({ secretBytes: v.bytes }))) {
      return { code: "secret_encoding", message: message(v.words), detail: { variant: v.variant, expectedHandling: kind } };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// body_reserialized

/**
 * Python's json.dumps defaults from compact JSON: ", " and ": " separators outside strings, non-ASCII escaped
 * (non-ASCII only occurs inside strings in valid JSON). One linear regex pass.
 */
function pythonDumps(compact: string): string {
  return compact
    .replace(/"(?:[^"\\]|\\.)*"|[,:]/g, (m) => (m === "," ? ", " : m === ":" ? ": " : m))
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function bodyReserialized(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const body = ctx.input.body;
  if (body.byteLength === 0 || body.byteLength > MAX_RESERIALIZE_BYTES) return null;
  const text = Buffer.from(body).toString("utf8");
  const first = /\S/.exec(text)?.[0];
  if (first !== "{" && first !== "[") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const compact = JSON.stringify(parsed);
  let pretty2: string | null = null;
  const pretty = () => (pretty2 ??= JSON.stringify(parsed, null, 2));
  const forms: [string, string, () => string][] = [
    ["compact", "compact JSON (no spaces, as JSON.stringify writes it)", () => compact],
    ["pretty-2", "pretty-printed JSON with 2-space indentation", pretty],
    ["pretty-2-newline", "pretty-printed JSON with 2-space indentation and a final newline", () => `${pretty()}\n`],
    ["pretty-4", "pretty-printed JSON with 4-space indentation", () => JSON.stringify(parsed, null, 4)],
    ["python", 'JSON with ", " and ": " separators and escaped non-ASCII (Python json.dumps)', () => pythonDumps(compact)],
    ["escaped-slashes", "compact JSON with escaped slashes \\/ (PHP json_encode)", () => compact.replace(/\//g, "\\/")],
  ];
  const seen = new Set<string>([text]);
  for (const [form, words, make] of forms) {
    const candidate = make();
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    if (fixes(recheck({ body: Buffer.from(candidate, "utf8") }))) {
      return {
        code: "body_reserialized",
        message:
          `The signature matches the same JSON serialised as ${words}, not the bytes that arrived. The sender signed a ` +
          "re-serialised object (for example JSON.stringify of a parsed body) and sent different bytes, or a proxy, tunnel or " +
          "framework re-formatted the JSON on the way. Signatures cover exact bytes: sign and send the same bytes, and verify " +
          "the raw body, never a parsed and re-encoded one.",
        detail: { form },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// trailing_newline

const showEnding = (s: string) => (s === "" ? "nothing" : s.replace(/\r/g, "\\r").replace(/\n/g, "\\n"));

function trailingNewline(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const body = Buffer.from(ctx.input.body);
  let end = body.length;
  while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x0d)) end -= 1;
  const stripped = body.subarray(0, end);
  const original = body.subarray(end).toString("latin1");
  for (const ending of ["", "\n", "\r\n", "\r\n\r\n"]) {
    if (ending === original) continue;
    if (fixes(recheck({ body: Buffer.concat([stripped, Buffer.from(ending, "latin1")]) }))) {
      const added = ending.length > original.length;
      return {
        code: "trailing_newline",
        message:
          `The signature matches when the body ends with ${showEnding(ending)} instead of ${showEnding(original)}. ` +
          (added
            ? "The signed body had a trailing newline that the delivered body lacks: something stripped it after signing."
            : "The delivered body has a trailing newline that was not signed: it was appended after signing.") +
          " Verify the exact bytes, and make sure neither the sender nor a proxy trims or appends newlines.",
        detail: { signedEnding: showEnding(ending), receivedEnding: showEnding(original) },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// url_variant

const URL_PARTS = /^(https?):\/\/([^/?#]*)([^?#]*)(.*)$/i;

function urlVariants(url: string): string[] {
  const m = URL_PARTS.exec(url);
  if (!m) return [];
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  const path = m[3]!;
  const rest = m[4]!;
  const hp = /^(.*?)(?::(\d+))?$/.exec(authority)!;
  const host = hp[1]!;
  const port = hp[2] ?? null;
  const defaultPort = (s: string) => (s === "https" ? "443" : "80");
  const togglePath = path === "" || path === "/" ? (path === "/" ? "" : "/") : path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
  const variants: { url: string; changes: number }[] = [];
  for (const s of [scheme, scheme === "https" ? "http" : "https"]) {
    const ports = [...new Set([port, null, defaultPort(s)])];
    for (const p of ports) {
      for (const pth of [path, togglePath]) {
        const candidate = `${s}://${host}${p !== null ? `:${p}` : ""}${pth}${rest}`;
        const changes = Number(s !== scheme) + Number(p !== port) + Number(pth !== path);
        if (changes > 0 && candidate !== url) variants.push({ url: candidate, changes });
      }
    }
  }
  const seen = new Set<string>();
  return variants
    .sort((a, b) => a.changes - b.changes)
    .map((v) => v.url)
    .filter((u) => {
      if (seen.has(u)) return false;
      seen.add(u);
      return true;
    })
    .slice(0, 8);
}

function urlVariant(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const url = ctx.input.url;
  if (!ctx.scheme.signsUrl || url === undefined || url === "") return null;
  for (const candidate of urlVariants(url)) {
    if (fixes(recheck({ url: candidate }))) {
      return {
        code: "url_variant",
        message:
          `The signature matches the URL ${candidate} instead of ${url}. ${ctx.spec.name} signs the exact URL it called, and ` +
          "the two differ in scheme (http/https), port or trailing slash: a TLS terminator or proxy changed it, or the webhook " +
          "URL is configured differently at the sender. Configure the exact public capture URL at the sender.",
        detail: { signedUrl: candidate, captureUrl: url },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// timestamp_units

function readTimestampText(headers: HeaderList, source: TimestampSource): string | null {
  const raw = getHeader(headers, source.header);
  if (raw === null) return null;
  if (source.param === undefined) return raw.trim();
  for (const item of raw.split(source.param.separator)) {
    const eq = item.indexOf("=");
    if (eq >= 0 && item.slice(0, eq).trim() === source.param.key) return item.slice(eq + 1).trim();
  }
  return null;
}

function writeTimestampText(headers: HeaderList, source: TimestampSource, value: string): HeaderList {
  const lower = source.header.toLowerCase();
  let done = false;
  return headers.map(([n, v]) => {
    if (done || n.toLowerCase() !== lower) return [n, v] as const;
    done = true;
    if (source.param === undefined) return [n, value] as const;
    const { key, separator } = source.param;
    let replaced = false;
    const items = v.split(separator).map((item) => {
      const eq = item.indexOf("=");
      if (!replaced && eq >= 0 && item.slice(0, eq).trim() === key) {
        replaced = true;
        return `${item.slice(0, eq + 1)}${value}`;
      }
      return item;
    });
    return [n, items.join(separator)] as const;
  });
}

const UNIT_WORDS = { s: "seconds", ms: "milliseconds" } as const;

/** The signature was computed over the timestamp in the other unit than the one sent. */
function timestampRewritten(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const source = ctx.scheme.timestampSource;
  if (source === null) return null;
  const text = readTimestampText(ctx.input.headers, source);
  if (text === null || !/^\d{1,16}$/.test(text)) return null;
  const looksMs = text.length >= 12;
  const other = looksMs ? String(Math.floor(Number(text) / 1000)) : `${text}000`;
  if (fixes(recheck({ headers: writeTimestampText(ctx.input.headers, source, other) }))) {
    const sent = looksMs ? "ms" : "s";
    const signed = looksMs ? "s" : "ms";
    return {
      code: "timestamp_units",
      message:
        `The signature matches when the timestamp is ${other} (${UNIT_WORDS[signed]}) instead of ${text} as sent ` +
        `(${UNIT_WORDS[sent]}): the sender signed the timestamp in one unit and sent it in another. Sign and send the very same ` +
        `timestamp text, in ${ctx.scheme.timestampUnit === "ms" ? "milliseconds" : "seconds"}.`,
      detail: { sent: text, signed: other, sentUnit: sent, signedUnit: signed },
    };
  }
  return null;
}

/** The timestamp is outside the window, but would be inside it read in the other unit. */
function timestampValueUnits(spec: ProviderSpec, scheme: SchemeDetails, input: ProviderVerifyInput, result: VerifyResult): Diagnosis | null {
  const ts = result.timestamp;
  if (ts.withinTolerance !== false || ts.value === null) return null;
  const unit = scheme.timestampUnit;
  if (unit !== "s" && unit !== "ms") return null;
  const tolerance = input.toleranceSeconds ?? scheme.toleranceSeconds ?? 300;
  const nowS = input.now / 1000;
  const sentRaw = unit === "ms" ? ts.value * 1000 : ts.value;
  // value is in seconds as the verifier read it; the sender may have meant the other unit.
  const reread: [number, "s" | "ms"][] = unit === "s" ? [[ts.value / 1000, "ms"]] : [[ts.value * 1000, "s"]];
  for (const [seconds, sentUnit] of reread) {
    const skew = nowS - seconds;
    if (Math.abs(skew) <= tolerance) {
      return {
        code: "timestamp_units",
        message:
          `The timestamp ${sentRaw} looks like ${UNIT_WORDS[sentUnit]}, but ${spec.name} expects ${UNIT_WORDS[unit]}. Read in ` +
          `${UNIT_WORDS[sentUnit]} it is ${Math.round(Math.abs(skew))} s ${skew >= 0 ? "old" : "in the future"}, inside the ` +
          `${tolerance} s window, so the delivery is fresh: the sender writes the timestamp in the wrong unit.`,
        detail: { sent: sentRaw, sentUnit, expectedUnit: unit, skewSeconds: Math.round(skew) },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Flags

function contentLengthMismatch(input: ProviderVerifyInput): Diagnosis | null {
  const declared = getHeader(input.headers, "content-length");
  if (declared === null || !/^\s*\d{1,15}\s*$/.test(declared)) return null;
  const n = Number(declared.trim());
  if (n === input.body.byteLength) return null;
  return {
    code: "content_length_mismatch",
    message:
      `The stored body is ${input.body.byteLength} bytes but Content-Length said ${n}. The body changed between the sender and ` +
      "Hookscope (a proxy or tunnel decoded, re-encoded, re-formatted or cut it), so it cannot be the bytes that were signed. " +
      "Check the hops in between, or send the webhook straight to the capture URL.",
    detail: { declared: n, stored: input.body.byteLength },
  };
}

const PROXY_HEADERS = ["via", "forwarded", "x-real-ip", "x-original-url", "x-original-host"];

function proxyTraces(headers: HeaderList, signsUrl: boolean): Diagnosis | null {
  const names: string[] = [];
  for (const [name] of headers) {
    const n = name.toLowerCase();
    if ((PROXY_HEADERS.includes(n) || n.startsWith("x-forwarded-")) && !names.some((x) => x.toLowerCase() === n)) names.push(name);
    if (names.length >= 8) break;
  }
  if (names.length === 0) return null;
  return {
    code: "proxy_traces",
    message:
      `The request passed through a proxy (${names.join(", ")}). Proxies and tunnels can re-encode the body` +
      (signsUrl ? " or change the URL scheme, host or port that this provider signs" : "") +
      ". If these headers come from your own reverse proxy in front of Hookscope they are expected; otherwise compare " +
      "what the sender signed with what arrived here.",
    detail: { headers: names.join(", ") },
  };
}
