/**
 * Mailgun: the signature travels in the body — JSON `signature: { timestamp, token, signature }`
 * (legacy form posts: top-level `timestamp`, `token`, `signature` fields). HMAC-SHA256 hex over
 * timestamp + token, key = HTTP webhook signing key. Mailgun documents no fixed window, so the
 * timestamp is only judged when toleranceSeconds is passed.
 */
import { buildResult, checkTimestamp, failResult, hmac, matchCandidates, parseTimestamp, reason, hmacKey } from "../compare";
import type { Reason, VerifyInput, VerifyResult } from "../types";
import { field, hint, obj, type BodyView } from "../hints";
import { defineProvider } from "../provider";

interface MailgunFields {
  timestamp: string | null;
  token: string | null;
  signature: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : null);

function extractFields(body: Uint8Array): MailgunFields | null {
  const text = new TextDecoder().decode(body);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object" && "signature" in parsed) {
      const sig = (parsed as { signature: unknown }).signature;
      if (sig !== null && typeof sig === "object") {
        const o = sig as Record<string, unknown>;
        return { timestamp: str(o.timestamp), token: str(o.token), signature: str(o.signature) };
      }
    }
    return null;
  } catch {
    // fall through to a form-encoded body
  }
  const form = new URLSearchParams(text);
  if (!form.has("signature") && !form.has("token") && !form.has("timestamp")) return null;
  return { timestamp: form.get("timestamp"), token: form.get("token"), signature: form.get("signature") };
}

const missingField = (name: string): Reason => reason("missing_header", `Body field signature.${name} is missing.`);

export function verifyMailgun(input: VerifyInput): VerifyResult {
  const provider = "mailgun";
  const fields = extractFields(input.body);
  if (fields === null)
    return failResult(provider, [
      reason("missing_header", "The body has no Mailgun signature object (signature.timestamp/token/signature)."),
    ]);
  const { timestamp: tsRaw, token, signature } = fields;
  const received = signature === null ? [] : [signature.trim()];
  if (tsRaw === null || token === null || signature === null) {
    return failResult(
      provider,
      [
        ...(tsRaw === null ? [missingField("timestamp")] : []),
        ...(token === null ? [missingField("token")] : []),
        ...(signature === null ? [missingField("signature")] : []),
      ],
      received,
    );
  }
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "signature.timestamp is not an integer.")], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? null);
  const expected = hmac("sha256", hmacKey(input), [tsRaw, token]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

function mailgunFields(b: BodyView): { eventType: string | null; deliveryId: string | null } | null {
  const j = b.json();
  if (j !== undefined) {
    const sig = obj(obj(j)?.signature);
    if (sig === null || !("token" in sig) || !("signature" in sig) || !("timestamp" in sig)) return null;
    return { eventType: field(j, "event-data", "event"), deliveryId: field(j, "event-data", "id") };
  }
  const form = b.form();
  if (form?.has("signature") && form.has("token") && form.has("timestamp")) {
    return { eventType: form.get("event"), deliveryId: form.get("Message-Id") ?? form.get("message-id") };
  }
  return null;
}

/** Mailgun signs inside the body, so there is no header to go by: only JSON or form bodies that mention a token are parsed. */
function maybeMailgun(ua: string, contentType: string, b: BodyView): boolean {
  if (ua.startsWith("mailgun")) return true;
  const readable = contentType.includes("json") || contentType.includes("x-www-form-urlencoded") || contentType === "";
  return readable && (b.text()?.includes("token") ?? false);
}

export const mailgun = defineProvider({
  id: "mailgun",
  name: "Mailgun",
  summary: "Body field signature.signature: HMAC-SHA256 hex of timestamp + token.",
  secretLabel: "HTTP webhook signing key",
  timestampUnit: "s",
  verify: verifyMailgun,
  detection: {
    headers: [],
    rules: [
      {
        order: 400,
        match: (h, b) => {
          const fields = maybeMailgun(h.ua, h.contentType, b) ? mailgunFields(b) : null;
          return fields === null ? null : hint("high", fields.eventType, fields.deliveryId);
        },
      },
      { order: 410, match: (h) => (h.ua.startsWith("mailgun") ? hint("medium", null, null) : null) },
    ],
  },
});
