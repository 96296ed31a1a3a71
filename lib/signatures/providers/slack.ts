/** Slack: `X-Slack-Signature: v0=<hex>` over `v0:ts:raw`, `X-Slack-Request-Timestamp`, 5 min window. */
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
import { DETECT_BODY_LIMIT, field, hint, type BodyView, type Hint } from "../hints";
import { defineProvider } from "../provider";

export const SLACK_TOLERANCE_SECONDS = 300;

export function verifySlack(input: VerifyInput): VerifyResult {
  const provider = "slack";
  const sig = getHeader(input.headers, "x-slack-signature");
  const tsRaw = getHeader(input.headers, "x-slack-request-timestamp");
  if (sig === null || tsRaw === null) {
    return failResult(provider, [
      ...(sig === null ? [missingHeader("X-Slack-Signature")] : []),
      ...(tsRaw === null ? [missingHeader("X-Slack-Request-Timestamp")] : []),
    ]);
  }
  const received = [sig];
  const ts = parseTimestamp(tsRaw);
  if (ts === null) return failResult(provider, [reason("malformed_header", "X-Slack-Request-Timestamp is not an integer.")], received);
  const timestamp = checkTimestamp(ts, input.now, input.toleranceSeconds ?? SLACK_TOLERANCE_SECONDS);
  if (!sig.startsWith("v0="))
    return failResult(provider, [reason("malformed_header", 'X-Slack-Signature must start with "v0=".')], received, timestamp);
  const expected = `v0=${hmac("sha256", hmacKey(input), [`v0:${tsRaw}:`, input.body]).toString("hex")}`;
  const { matched, lengthMismatch } = matchCandidates(expected, received);
  return buildResult(provider, { expected, received, matched, lengthMismatch, timestamp });
}

function slackHint(b: BodyView): Hint {
  const j = b.json();
  if (j !== undefined) {
    const type = field(j, "type");
    const eventType = type === "event_callback" ? (field(j, "event", "type") ?? type) : type;
    return hint("high", eventType, field(j, "event_id"));
  }
  const form = b.form();
  if (form !== null) {
    const payload = form.get("payload");
    if (payload !== null && payload.length <= DETECT_BODY_LIMIT) {
      try {
        const p: unknown = JSON.parse(payload);
        return hint("high", field(p, "type"), field(p, "trigger_id"));
      } catch {
        // not JSON: fall through
      }
    }
    return hint("high", form.get("command"), form.get("trigger_id"));
  }
  return hint("high", null, null);
}

export const slack = defineProvider({
  id: "slack",
  name: "Slack",
  summary: "X-Slack-Signature v0=HMAC-SHA256 hex of `v0:timestamp:body`.",
  secretLabel: "Signing secret",
  toleranceSeconds: SLACK_TOLERANCE_SECONDS,
  timestampUnit: "s",
  timestampSource: { header: "X-Slack-Request-Timestamp" },
  verify: verifySlack,
  detection: {
    headers: ["x-slack-signature", "x-slack-request-timestamp"],
    rules: [{ order: 160, match: (h, b) => (h.has("x-slack-signature") || h.has("x-slack-request-timestamp") ? slackHint(b) : null) }],
  },
});
