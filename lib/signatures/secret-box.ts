/**
 * Encryption at rest for saved signing secrets: AES-256-GCM with a 32-byte key supplied by the caller
 * (derived from config, see deriveSecretBoxKey), and a display fingerprint that never reveals the secret.
 *
 * Sealed format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url without padding; 12-byte random IV,
 * 16-byte tag. Optional associated data (for example `${endpointId}:${provider}`) binds a sealed value to
 * its row: opening it with other associated data fails like a tampered ciphertext.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export type SecretBoxErrorCode = "bad_key" | "malformed" | "unsupported_version" | "auth_failed";

export class SecretBoxError extends Error {
  readonly code: SecretBoxErrorCode;
  constructor(code: SecretBoxErrorCode, message: string) {
    super(message);
    this.name = "SecretBoxError";
    this.code = code;
  }
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new SecretBoxError("bad_key", `The secret-box key must be ${KEY_BYTES} bytes.`);
  }
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Derives the 32-byte secret-box key from the server's master secret (HKDF-SHA256 with a fixed label),
 * so the same configured secret can serve other purposes without key reuse.
 */
export function deriveSecretBoxKey(masterSecret: string | Uint8Array, label = "hookscope/signature-secrets/v1"): Buffer {
  if ((typeof masterSecret === "string" ? masterSecret.length : masterSecret.byteLength) === 0) {
    throw new SecretBoxError("bad_key", "The master secret is empty.");
  }
  return Buffer.from(hkdfSync("sha256", masterSecret, Buffer.alloc(0), label, KEY_BYTES));
}

/** Encrypts a secret; every call uses a fresh random IV. */
export function sealSecret(plaintext: string, key: Uint8Array, associatedData?: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** Decrypts a sealed secret; throws SecretBoxError when the value is malformed, tampered or sealed with another key/AAD. */
export function openSecret(sealed: string, key: Uint8Array, associatedData?: string): string {
  checkKey(key);
  const parts = typeof sealed === "string" ? sealed.split(".") : [];
  if (parts.length !== 4) throw new SecretBoxError("malformed", "Not a sealed secret.");
  const [version, ivText, tagText, ctText] = parts as [string, string, string, string];
  if (version !== VERSION) throw new SecretBoxError("unsupported_version", `Unsupported sealed-secret version "${version.slice(0, 8)}".`);
  if (!B64URL.test(ivText) || !B64URL.test(tagText) || !B64URL.test(ctText)) throw new SecretBoxError("malformed", "Not a sealed secret.");
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  const ciphertext = Buffer.from(ctText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError("malformed", "Not a sealed secret.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return plain.toString("utf8");
  } catch {
    throw new SecretBoxError("auth_failed", "The sealed secret could not be decrypted (tampered, or sealed with another key).");
  }
}

/** Like openSecret, but null instead of an exception. */
export function tryOpenSecret(sealed: string, key: Uint8Array, associatedData?: string): string | null {
  try {
    return openSecret(sealed, key, associatedData);
  } catch {
    return null;
  }
}

/** True when the value has the shape of a sealed secret (says nothing about whether it decrypts). */
export function isSealedSecret(value: string): boolean {
  const parts = value.split(".");
  return parts.length === 4 && parts[0] === VERSION && parts.slice(1).every((p, i) => (p.length > 0 || i === 2) && B64URL.test(p));
}

/** Well-known kind prefixes that may be shown: they identify the kind of secret, not the secret. */
const KNOWN_PREFIXES = ["whsec_", "pdl_ntfset_", "shpss_", "sk_live_", "sk_test_", "rk_live_", "rk_test_"] as const;

/** The recognisable kind prefix of a secret (e.g. "whsec_"), or null. */
export function secretKindPrefix(secret: string): string | null {
  return KNOWN_PREFIXES.find((p) => secret.startsWith(p) && secret.length > p.length) ?? null;
}

/**
 * Short non-reversible display of a secret: its well-known kind prefix (if any) + "…" + the first 8 hex
 * characters of SHA-256 over the exact secret, e.g. `whsec_…1f2e3d4c`. No other character of the secret is shown.
 */
export function fingerprint(secret: string): string {
  const digest = createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 8);
  return `${secretKindPrefix(secret) ?? ""}…${digest}`;
}
