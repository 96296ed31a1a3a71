/** Paddle Billing: `Paddle-Signature: ts=..;h1=..[;h1=..]`, HMAC-SHA256 hex over `ts:raw`, SDK window 5 s. */
import {
  buildResult,
  checkTimestamp,
  failResult,
  getHeader,
  hmac,
  matchCandidates,
  missingHeader,
  parseTimestamp,
  reason,
  hmacKey,
} from "../compare";
import type { VerifyInput, VerifyResult } from "../types";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export const PADDLE_TOLERANCE_SECONDS = 5;

export function verifyPaddle(input: VerifyInput): VerifyResult {
  const provider = "paddle";
  const header = getHeader(input.headers, "paddle-signature");
  if (header === null) return failResult(provider, [missingHeader("Paddle-Signature")]);
  let tsRaw: string | null = null;
  const h1: string[] = [];
  for (const item of header.split(";")) {
    const eq = item.indexOf("=");
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === "ts" && tsRaw === null) tsRaw = value;
    else if (key === "h1") h1.push(value);
  }
  if (tsRaw === null) return failResult(provider, [reason("malformed_header", "Paddle-Signature has no ts= timestamp.")], h1);
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "Paddle-Signature ts= is not an integer.")], h1);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? PADDLE_TOLERANCE_SECONDS);
  if (h1.length === 0) return failResult(provider, [reason("malformed_header", "Paddle-Signature has no h1= signature.")], h1, timestamp);
  const expected = hmac("sha256", hmacKey(input), [`${tsRaw}:`, input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, h1, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received: h1, matched, lengthMismatch, timestamp });
}

export const paddle = defineProvider({
  id: "paddle",
  name: "Paddle Billing",
  summary: "Paddle-Signature ts=…;h1=…: HMAC-SHA256 hex of `ts:body`.",
  secretLabel: "Notification destination secret key",
  toleranceSeconds: PADDLE_TOLERANCE_SECONDS,
  timestampUnit: "s",
  timestampSource: { header: "Paddle-Signature", param: { key: "ts", separator: ";" } },
  verify: verifyPaddle,
  detection: {
    headers: ["paddle-signature"],
    rules: [
      {
        order: 200,
        match: (h, b) => {
          if (!h.has("paddle-signature")) return null;
          const j = b.json();
          return hint("high", field(j, "event_type"), field(j, "notification_id") ?? field(j, "event_id"));
        },
      },
    ],
  },
});
