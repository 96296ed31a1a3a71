/**
 * Discord interactions: Ed25519 over `timestamp + raw`, hex signature in `X-Signature-Ed25519`,
 * `X-Signature-Timestamp`; the secret is the app's hex public key. No window in the official lib:
 * the timestamp is only checked when toleranceSeconds is given.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { buildResult, checkTimestamp, concatBytes, failResult, getHeader, missingHeader, parseTimestamp, reason } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { field, hint, obj, type BodyView, type Hint } from "../hints";
import { defineProvider } from "../provider";

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

const DISCORD_INTERACTIONS: Record<number, string> = {
  1: "PING",
  2: "APPLICATION_COMMAND",
  3: "MESSAGE_COMPONENT",
  4: "APPLICATION_COMMAND_AUTOCOMPLETE",
  5: "MODAL_SUBMIT",
};

function discordHint(b: BodyView): Hint {
  const o = obj(b.json());
  if (o === null) return hint("high", null, null);
  const event = field(o, "event", "type");
  if (event !== null) return hint("high", event, null);
  if (typeof o.token === "string" && typeof o.type === "number") {
    return hint("high", DISCORD_INTERACTIONS[o.type] ?? `interaction.${o.type}`, field(o, "id"));
  }
  if (o.type === 0) return hint("high", "PING", null);
  return hint("high", null, field(o, "id"));
}

export const discord = defineProvider({
  id: "discord",
  name: "Discord",
  summary: "X-Signature-Ed25519: Ed25519 signature (hex) of timestamp + body.",
  secretLabel: "Application public key (hex)",
  secretKind: "public-key",
  timestampUnit: "s",
  timestampSource: { header: "X-Signature-Timestamp" },
  verify: verifyDiscord,
  detection: {
    headers: ["x-signature-ed25519"],
    rules: [{ order: 240, match: (h, b) => (h.has("x-signature-ed25519") ? discordHint(b) : null) }],
  },
});
