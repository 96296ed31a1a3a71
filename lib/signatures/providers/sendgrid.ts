/**
 * SendGrid Event Webhook: ECDSA P-256 / SHA-256 over `timestamp + raw`, DER signature in base64
 * (`X-Twilio-Email-Event-Webhook-Signature`, `...-Timestamp`); the secret is the base64 SPKI public key.
 * The SDK applies no replay window: the timestamp is only checked when toleranceSeconds is given.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { buildResult, checkTimestamp, concatBytes, failResult, getHeader, missingHeader, parseTimestamp, reason } from "../compare";
import { decodeBase64Strict } from "../secret-encoding";
import type { VerifyInput, VerifyResult } from "../types";
import { batchEvents, hint } from "../hints";
import { defineProvider } from "../provider";

const SIG = "X-Twilio-Email-Event-Webhook-Signature";
const TS = "X-Twilio-Email-Event-Webhook-Timestamp";

export function verifySendgrid(input: VerifyInput): VerifyResult {
  const provider = "sendgrid";
  const sig = getHeader(input.headers, SIG);
  const tsRaw = getHeader(input.headers, TS);
  if (sig === null || tsRaw === null) {
    return failResult(provider, [...(sig === null ? [missingHeader(SIG)] : []), ...(tsRaw === null ? [missingHeader(TS)] : [])]);
  }
  const received = [sig.trim()];
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", `${TS} is not an integer.`)], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? null);
  let key: KeyObject;
  try {
    const der = decodeBase64Strict(input.secret.trim());
    if (!der.ok) throw new Error(der.error);
    key = createPublicKey({ key: der.bytes, format: "der", type: "spki" });
    if (key.asymmetricKeyType !== "ec") throw new Error("not an EC key");
  } catch {
    return failResult(
      provider,
      [reason("invalid_key", "The verification key is not a base64 SPKI ECDSA public key.")],
      received,
      timestamp,
    );
  }
  let ok = false;
  try {
    ok = verify("sha256", concatBytes([tsRaw, input.body]), key, Buffer.from(received[0] ?? "", "base64"));
  } catch {
    ok = false;
  }
  return buildResult(provider, { expected: null, received, matched: ok ? (received[0] ?? null) : null, timestamp });
}

export const sendgrid = defineProvider({
  id: "sendgrid",
  name: "SendGrid Event Webhook",
  summary: "ECDSA P-256 signature (base64 DER) over timestamp + body.",
  secretLabel: "Verification key (base64 public key)",
  secretKind: "public-key",
  timestampUnit: "s",
  timestampSource: { header: "X-Twilio-Email-Event-Webhook-Timestamp" },
  verify: verifySendgrid,
  detection: {
    headers: ["x-twilio-email-event-webhook-signature"],
    rules: [
      {
        order: 180,
        match: (h, b) => {
          if (!h.has("x-twilio-email-event-webhook-signature")) return null;
          const ev = batchEvents(b.json(), "event", "sg_event_id");
          return hint("high", ev.eventType, ev.deliveryId);
        },
      },
    ],
  },
});
