/**
 * Twilio: `X-Twilio-Signature` = base64 HMAC-SHA1(authToken, fullUrl + sorted decoded POST params as key+value).
 * JSON bodies: the URL carries `bodySHA256` (hex SHA-256 of the raw body); only the URL is signed.
 */
import { createHash } from "node:crypto";
import { buildResult, failResult, getHeader, hmac, matchCandidates, missingHeader, reason, safeCompare, hmacKey } from "../compare";
import type { Reason, VerifyInput, VerifyResult } from "../types";
import { hint, type BodyView, type Hint } from "../hints";
import { defineProvider } from "../provider";

/** URL + params sorted by name (values of a repeated name sorted too), concatenated without separators. */
export function twilioSignedContent(url: string, params: readonly (readonly [string, string])[]): string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of params) {
    const list = grouped.get(k);
    if (list) list.push(v);
    else grouped.set(k, [v]);
  }
  let data = url;
  for (const key of [...grouped.keys()].sort()) {
    for (const value of [...(grouped.get(key) ?? [])].sort()) data += key + value;
  }
  return data;
}

function bodySha256Param(url: string): string | null {
  try {
    return new URL(url).searchParams.get("bodySHA256");
  } catch {
    return null;
  }
}

export function verifyTwilio(input: VerifyInput): VerifyResult {
  const provider = "twilio";
  const header = getHeader(input.headers, "x-twilio-signature");
  if (header === null) return failResult(provider, [missingHeader("X-Twilio-Signature")]);
  const received = [header.trim()];
  if (input.url === undefined || input.url === "") {
    return failResult(
      provider,
      [reason("missing_url", "Twilio signs the full request URL; the public capture URL is required.")],
      received,
    );
  }
  const extra: Reason[] = [];
  const bodyHash = bodySha256Param(input.url);
  let params: [string, string][] = [];
  if (bodyHash !== null) {
    const actual = createHash("sha256").update(input.body).digest("hex");
    if (safeCompare(actual, bodyHash.toLowerCase()) !== "equal") {
      extra.push(reason("body_hash_mismatch", "The bodySHA256 query parameter does not match the SHA-256 of the stored body."));
    }
  } else {
    params = [...new URLSearchParams(Buffer.from(input.body).toString("utf8")).entries()];
  }
  const expected = hmac("sha1", hmacKey(input), [twilioSignedContent(input.url, params)]).toString("base64");
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch, reasons: extra });
}

function twilioHint(b: BodyView, idempotency: string | null): Hint {
  const form = b.form();
  let eventType: string | null = null;
  let id: string | null = null;
  if (form !== null) {
    const call = form.get("CallStatus");
    const msg = form.get("MessageStatus") ?? form.get("SmsStatus");
    eventType = call !== null ? `call.${call}` : msg !== null ? `message.${msg}` : null;
    id = form.get("MessageSid") ?? form.get("SmsSid") ?? form.get("CallSid");
  }
  return hint("high", eventType, idempotency ?? id);
}

export const twilio = defineProvider({
  id: "twilio",
  name: "Twilio",
  summary: "X-Twilio-Signature: base64 HMAC-SHA1 of the full URL + sorted POST params (JSON: URL with bodySHA256).",
  secretLabel: "Auth token",
  signsUrl: true,
  verify: verifyTwilio,
  detection: {
    headers: ["x-twilio-signature", "i-twilio-idempotency-token"],
    // After SendGrid (order 180), whose Event Webhook header also starts with X-Twilio.
    rules: [{ order: 190, match: (h, b) => (h.has("x-twilio-signature") ? twilioHint(b, h.get("i-twilio-idempotency-token")) : null) }],
  },
});
