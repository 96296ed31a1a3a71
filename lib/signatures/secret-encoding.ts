/**
 * Strict decoding of secrets that are keys in an encoding: Standard Webhooks' `whsec_` + base64, generic HMAC secrets
 * configured as base64 or hex, SendGrid's base64 public key, Discord's hex public key. Node's Buffer.from(…, "base64")
 * is lenient: it skips characters outside the alphabet, drops a trailing partial character and ignores the unused
 * bits of the last one, so `whsec_…oDx` (one character added) decoded to the same key as `whsec_…oD` and verified as
 * the original. The official libraries refuse such input (standard-webhooks' JS decoder throws, Go's
 * base64.StdEncoding errors, Python's b64decode raises "Incorrect padding"); so do we: only canonical base64 (the
 * standard alphabet, `=` padding to a multiple of 4, zero unused bits, what an encoder produces) and plain even-length
 * hex are keys. The messages say what is wrong without echoing the secret.
 */
import { createPublicKey } from "node:crypto";
import type { SecretKind } from "./provider";

export type Decoded = { ok: true; bytes: Buffer } | { ok: false; error: string };

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/** Canonical standard base64 → bytes, or what is wrong with it (words that follow "the secret …"). */
export function decodeBase64Strict(text: string): Decoded {
  if (text.length === 0) return { ok: false, error: "is empty" };
  const space = text.search(/\s/);
  if (space >= 0) return { ok: false, error: `contains whitespace (a space or line break) at character ${space + 1}; paste it without` };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (BASE64_CHAR.test(c)) continue;
    const hint = c === "-" || c === "_" ? " (- and _ are base64url, not base64)" : "";
    return { ok: false, error: `has a character that is not base64 at character ${i + 1}${hint}` };
  }
  const pad = text.indexOf("=");
  if (pad >= 0 && !/^={1,2}$/.test(text.slice(pad)))
    return { ok: false, error: "has = padding that is not at the end (at most two, last)" };
  if (text.length % 4 !== 0) {
    return {
      ok: false,
      error: `is ${text.length} characters long, not a multiple of 4 as base64 with its = padding is: a character is missing, one too many, or the padding was cut`,
    };
  }
  const bytes = Buffer.from(text, "base64");
  // Same characters back from the bytes: otherwise the last character carries bits an encoder never sets (a changed
  // character that would decode to the same key).
  if (bytes.toString("base64") !== text)
    return {
      ok: false,
      error: "is not canonical base64: its last character has bits set that no encoder produces (a character was changed or added)",
    };
  return { ok: true, bytes };
}

/** Even-length hex → bytes, or what is wrong with it. */
export function decodeHexStrict(text: string): Decoded {
  if (text.length === 0) return { ok: false, error: "is empty" };
  const bad = text.search(/[^0-9a-fA-F]/);
  if (bad >= 0) return { ok: false, error: `has a character that is not hex (0-9, a-f) at character ${bad + 1}` };
  if (text.length % 2 !== 0)
    return { ok: false, error: `is ${text.length} hex digits long, an odd number: a digit is missing or one too many` };
  return { ok: true, bytes: Buffer.from(text, "hex") };
}

/** The key bytes of a Standard Webhooks secret (`whsec_` prefix optional), strictly decoded. */
export function decodeWhsec(secret: string): Decoded {
  const body = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  const r = decodeBase64Strict(body);
  if (!r.ok)
    return {
      ok: false,
      error: `${secret.startsWith("whsec_") ? "after its whsec_ prefix " : ""}${r.error} (a Standard Webhooks secret is whsec_ followed by base64)`,
    };
  return r;
}

/**
 * Why `secret` cannot be the key of a scheme that takes it as `kind` (for a 422: "secret: the secret …"), or null
 * when it can. Text secrets (utf8, token) are anything. `provider` tells the public keys apart.
 */
export function secretProblem(kind: SecretKind, secret: string, provider: string): string | null {
  const say = (r: Decoded, what: string): string | null => (r.ok ? null : `the ${what} ${r.error}.`);
  switch (kind) {
    case "whsec-base64":
      return say(decodeWhsec(secret), "signing secret");
    case "base64":
      return say(decodeBase64Strict(secret), "secret (configured as base64)");
    case "hex":
      return say(decodeHexStrict(secret), "secret (configured as hex)");
    case "public-key": {
      if (provider === "discord") {
        const r = decodeHexStrict(secret.trim());
        if (!r.ok) return say(r, "public key (hex)");
        return r.bytes.length === 32
          ? null
          : `the public key is ${r.bytes.length} bytes; an Ed25519 public key is 32 bytes (64 hex characters).`;
      }
      if (provider === "sendgrid") {
        const r = decodeBase64Strict(secret.trim());
        if (!r.ok) return say(r, "verification key (base64)");
        try {
          if (createPublicKey({ key: r.bytes, format: "der", type: "spki" }).asymmetricKeyType === "ec") return null;
        } catch {
          // not a DER public key at all
        }
        return "the verification key is base64 but not an ECDSA public key (SendGrid's key starts with MFkwEwYHKoZIzj0CAQYI…).";
      }
      return null;
    }
    default:
      return null;
  }
}
