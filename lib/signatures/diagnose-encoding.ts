import { type DiagnoseContext, type Diagnosis, fixes, type Recheck } from "./diagnosis";
import type { SecretKind } from "./provider";
import { decodeStandardWebhooksSecret } from "./providers/standard-webhooks";
import { decodeBase64Strict, decodeHexStrict } from "./secret-encoding";

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
  if (B64.test(payload))
    out.push({ encoding: "base64", bytes: Buffer.from(payload, payload.includes("-") || payload.includes("_") ? "base64url" : "base64") });
  return out;
}

export function signatureEncoding(ctx: DiagnoseContext): Diagnosis | null {
  const { expected, received } = ctx.result;
  if (expected === null) return null;
  const genericPrefix = ctx.input.generic?.prefix;
  const [, expPayload] = splitPrefix(expected, genericPrefix);
  const expEncoding: "hex" | "base64" =
    HEX.test(expPayload) && expPayload.length % 2 === 0 && !/[g-zG-Z+/=]/.test(expPayload) ? "hex" : "base64";
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
    list.push({
      variant: "text-without-prefix",
      words: `used as plain text without its "${prefix}" prefix`,
      bytes: Buffer.from(rest, "utf8"),
    });
  } else {
    list.push({
      variant: "text-with-whsec-prefix",
      words: 'used as plain text with a "whsec_" prefix in front',
      bytes: Buffer.from(`whsec_${core}`, "utf8"),
    });
  }
  if (B64.test(rest) && rest.length >= 8) {
    const bytes = strictlyDecoded(rest, rest.includes("-") || rest.includes("_") ? "base64url" : "base64");
    if (bytes !== null && bytes.length >= 6) {
      list.push({
        variant: "base64-decoded",
        words:
          prefix !== null
            ? `base64-decoded after its "${prefix}" prefix (the bytes used as the key)`
            : "base64-decoded (the bytes used as the key)",
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

export function secretEncoding(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
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
