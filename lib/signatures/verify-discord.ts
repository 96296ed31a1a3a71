/**
 * Discord interactions: Ed25519 over `timestamp + raw`, hex signature in `X-Signature-Ed25519`,
 * `X-Signature-Timestamp`; the secret is the app's hex public key. No window in the official lib:
 * the timestamp is only checked when toleranceSeconds is given.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { buildResult, checkTimestamp, concatBytes, failResult, getHeader, missingHeader, parseTimestamp, reason } from "./compare";
import type { VerifyInput, VerifyResult } from "./types";

const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export function ed25519PublicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error("Ed25519 public key must be 32 bytes of hex");
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]), format: "der", type: "spki" });
}

export function verifyDiscord(input: VerifyInput): VerifyResult {
  const provider = "discord";
  const sig = getHeader(input.headers, "x-signature-ed25519");
  const tsRaw = getHeader(input.headers, "x-signature-timestamp");
  if (sig === null || tsRaw === null) {
    return failResult(provider, [
      ...(sig === null ? [missingHeader("X-Signature-Ed25519")] : []),
      ...(tsRaw === null ? [missingHeader("X-Signature-Timestamp")] : []),
    ]);
  }
  const received = [sig.trim()];
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "X-Signature-Timestamp is not an integer.")], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? null);
  let key: KeyObject;
  try {
    key = ed25519PublicKeyFromHex(input.secret.trim());
  } catch {
    return failResult(provider, [reason("invalid_key", "The public key must be 64 hex characters (Ed25519).")], received, timestamp);
  }
  const sigHex = received[0] ?? "";
  if (!/^[0-9a-fA-F]*$/.test(sigHex)) {
    return failResult(provider, [reason("malformed_header", "X-Signature-Ed25519 is not hex.")], received, timestamp);
  }
  if (sigHex.length !== 128) {
    return buildResult(provider, { expected: null, received, matched: null, lengthMismatch: true, timestamp });
  }
  let ok = false;
  try {
    ok = verify(null, concatBytes([tsRaw, input.body]), key, Buffer.from(sigHex, "hex"));
  } catch {
    ok = false;
  }
  return buildResult(provider, { expected: null, received, matched: ok ? sigHex : null, timestamp });
}
