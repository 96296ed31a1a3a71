/**
 * Mailgun: the signature travels in the body — JSON `signature: { timestamp, token, signature }`
 * (legacy form posts: top-level `timestamp`, `token`, `signature` fields). HMAC-SHA256 hex over
 * timestamp + token, key = HTTP webhook signing key. Mailgun documents no fixed window, so the
 * timestamp is only judged when toleranceSeconds is passed.
 */
import { buildResult, checkTimestamp, failResult, hmac, matchCandidates, parseTimestamp, reason, hmacKey } from "./compare";
import type { Reason, VerifyInput, VerifyResult } from "./types";

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
  if (fields === null) return failResult(provider, [reason("missing_header", "The body has no Mailgun signature object (signature.timestamp/token/signature).")]);
  const { timestamp: tsRaw, token, signature } = fields;
  const received = signature === null ? [] : [signature.trim()];
  if (tsRaw === null || token === null || signature === null) {
    return failResult(
      provider,
      [...(tsRaw === null ? [missingField("timestamp")] : []), ...(token === null ? [missingField("token")] : []), ...(signature === null ? [missingField("signature")] : [])],
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
