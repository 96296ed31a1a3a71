/**
 * Twitch EventSub: `Twitch-Eventsub-Message-Signature: sha256=<hex>`, HMAC-SHA256 over
 * message id + timestamp + raw body. The timestamp header is RFC 3339 text (often with nanoseconds) and is
 * signed verbatim; deliveries older than 10 min are rejected (past only, per Twitch's guidance).
 */
import { buildResult, checkTimestampMs, failResult, getHeader, hmac, matchCandidates, missingHeader, reason, hmacKey } from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { hint } from "../hints";
import { defineProvider } from "../provider";

export const TWITCH_TOLERANCE_SECONDS = 600;

/** Parses RFC 3339 text to ms since the epoch (fraction truncated to ms); null when not RFC 3339. */
export function parseRfc3339Ms(raw: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const frac = (m[3] ?? "").slice(0, 3).padEnd(3, "0");
  const zone = m[4] === "z" ? "Z" : m[4];
  const ms = Date.parse(`${m[1]}T${m[2]}.${frac}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

export function verifyTwitch(input: VerifyInput): VerifyResult {
  const provider = "twitch";
  const sig = getHeader(input.headers, "twitch-eventsub-message-signature");
  const id = getHeader(input.headers, "twitch-eventsub-message-id");
  const tsRaw = getHeader(input.headers, "twitch-eventsub-message-timestamp");
  if (sig === null || id === null || tsRaw === null) {
    return failResult(provider, [
      ...(sig === null ? [missingHeader("Twitch-Eventsub-Message-Signature")] : []),
      ...(id === null ? [missingHeader("Twitch-Eventsub-Message-Id")] : []),
      ...(tsRaw === null ? [missingHeader("Twitch-Eventsub-Message-Timestamp")] : []),
    ]);
  }
  const received = [sig.trim()];
  const tsMs = parseRfc3339Ms(tsRaw);
  if (tsMs === null)
    return failResult(provider, [reason("malformed_header", "Twitch-Eventsub-Message-Timestamp is not an RFC 3339 timestamp.")], received);
  const timestamp = checkTimestampMs(tsMs, input.now, input.toleranceSeconds ?? TWITCH_TOLERANCE_SECONDS, true);
  const prefix = "sha256=";
  if (!received[0]!.startsWith(prefix)) {
    return failResult(provider, [reason("malformed_header", `Expected the signature to start with "${prefix}".`)], received, timestamp);
  }
  // Signed verbatim: the timestamp text exactly as sent, never re-formatted.
  const expected = prefix + hmac("sha256", hmacKey(input), [id, tsRaw, input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => prefix + s.slice(prefix.length).toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

export const twitch = defineProvider({
  id: "twitch",
  name: "Twitch EventSub",
  summary: "Twitch-Eventsub-Message-Signature sha256=HMAC-SHA256 hex of id + timestamp + body.",
  secretLabel: "Subscription secret",
  toleranceSeconds: TWITCH_TOLERANCE_SECONDS,
  timestampUnit: "rfc3339",
  verify: verifyTwitch,
  detection: {
    headers: [
      "twitch-eventsub-message-signature",
      "twitch-eventsub-message-id",
      "twitch-eventsub-message-type",
      "twitch-eventsub-subscription-type",
    ],
    rules: [
      {
        order: 250,
        match: (h) => {
          if (!h.has("twitch-eventsub-message-signature") && !h.has("twitch-eventsub-message-id")) return null;
          const messageType = h.get("twitch-eventsub-message-type");
          const subType = h.get("twitch-eventsub-subscription-type");
          const eventType = messageType !== null && messageType !== "notification" ? messageType : (subType ?? messageType);
          return hint("high", eventType, h.get("twitch-eventsub-message-id"));
        },
      },
    ],
  },
});
