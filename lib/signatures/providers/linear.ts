/**
 * Linear: `Linear-Signature` = hex HMAC-SHA256 of the raw body. The replay timestamp is `webhookTimestamp`
 * (ms since the epoch) inside the JSON body; the Linear SDK rejects deliveries more than 60 s off.
 * When the body has no usable webhookTimestamp the timestamp is reported as absent (not judged).
 */
import {
  buildResult,
  checkTimestampMs,
  failResult,
  getHeader,
  hmac,
  matchCandidates,
  missingHeader,
  NO_TIMESTAMP,
  hmacKey,
} from "../compare";
import type { TimestampInfo, VerifyInput, VerifyResult } from "../types";
import { field, hint } from "../hints";
import { defineProvider } from "../provider";

export const LINEAR_TOLERANCE_SECONDS = 60;

function bodyTimestampMs(body: Uint8Array): number | null {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    if (parsed !== null && typeof parsed === "object" && "webhookTimestamp" in parsed) {
      const v = (parsed as { webhookTimestamp: unknown }).webhookTimestamp;
      if (typeof v === "number" && Number.isFinite(v)) return v;
      if (typeof v === "string" && /^\d{1,16}$/.test(v.trim())) return Number(v.trim());
    }
  } catch {
    // not JSON: no timestamp
  }
  return null;
}

export function verifyLinear(input: VerifyInput): VerifyResult {
  const provider = "linear";
  const header = getHeader(input.headers, "linear-signature");
  if (header === null) return failResult(provider, [missingHeader("Linear-Signature")]);
  const received = [header.trim()];
  const tsMs = bodyTimestampMs(input.body);
  const timestamp: TimestampInfo =
    tsMs === null ? NO_TIMESTAMP : checkTimestampMs(tsMs, input.now, input.toleranceSeconds ?? LINEAR_TOLERANCE_SECONDS);
  const expected = hmac("sha256", hmacKey(input), [input.body]).toString("hex");
  const { matched, lengthMismatch } = matchCandidates(expected, received, (s) => s.toLowerCase());
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

export const linear = defineProvider({
  id: "linear",
  name: "Linear",
  summary: "Linear-Signature: HMAC-SHA256 hex of the body; webhookTimestamp (ms) in the body.",
  toleranceSeconds: LINEAR_TOLERANCE_SECONDS,
  timestampUnit: "ms",
  verify: verifyLinear,
  detection: {
    headers: ["linear-signature", "linear-delivery", "linear-event"],
    rules: [
      {
        order: 230,
        match: (h, b) =>
          h.has("linear-signature") || h.has("linear-delivery") || h.has("linear-event")
            ? hint("high", h.get("linear-event") ?? field(b.json(), "type"), h.get("linear-delivery"))
            : null,
      },
    ],
  },
});
