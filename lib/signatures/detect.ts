/**
 * Provider detection for captures: recognises the webhook sender from its headers (and, only when a header
 * alone cannot tell, from a bounded look at the body), plus the event type and delivery / message id where the
 * provider sends them. Runs for every row of the capture list, so: one pass over the headers, the body is
 * decoded and parsed at most once, lazily, and only up to DETECT_BODY_LIMIT bytes. Never throws.
 */
import type { HeaderList } from "./types";
import type { ProviderId } from "./registry";

/** Bodies larger than this are not parsed for detection (the event type is then only taken from headers). */
export const DETECT_BODY_LIMIT = 256 * 1024;
/** Event types and ids longer than this are cut (they are shown in list rows). */
const MAX_FIELD = 200;

export type DetectionConfidence = "high" | "medium" | "low";

export interface Detection {
  /** Provider id from the registry, or null when no known provider matched. */
  provider: ProviderId | null;
  confidence: DetectionConfidence | null;
  eventType: string | null;
  deliveryId: string | null;
}

export type DetectBody = Uint8Array | string | null | undefined;

const NONE: Detection = { provider: null, confidence: null, eventType: null, deliveryId: null };

type Json = unknown;

/** Lazy, bounded, memoised views of the body. */
class BodyView {
  private textCache: string | null | undefined;
  private jsonCache: Json | undefined;
  private jsonDone = false;
  private formCache: URLSearchParams | null | undefined;

  constructor(private readonly body: DetectBody) {}

  text(): string | null {
    if (this.textCache !== undefined) return this.textCache;
    const b = this.body;
    if (b === null || b === undefined) this.textCache = null;
    else if (typeof b === "string") this.textCache = b.length > DETECT_BODY_LIMIT ? null : b;
    else if (b.byteLength > DETECT_BODY_LIMIT) this.textCache = null;
    else {
      try {
        this.textCache = new TextDecoder("utf-8", { fatal: false }).decode(b);
      } catch {
        this.textCache = null;
      }
    }
    return this.textCache;
  }

  /** Parsed JSON object/array, or undefined when the body is absent, too large or not JSON. */
  json(): Json | undefined {
    if (this.jsonDone) return this.jsonCache;
    this.jsonDone = true;
    const t = this.text();
    if (t === null) return undefined;
    const first = /\S/.exec(t)?.[0];
    if (first !== "{" && first !== "[") return undefined;
    try {
      this.jsonCache = JSON.parse(t) as Json;
    } catch {
      this.jsonCache = undefined;
    }
    return this.jsonCache;
  }

  /** Form-encoded fields, or null when the body does not look form-encoded. */
  form(): URLSearchParams | null {
    if (this.formCache !== undefined) return this.formCache;
    const t = this.text();
    this.formCache = null;
    if (t !== null && t.length > 0 && /^[^\s{[<][^\s]*$/.test(t.trim()) && t.includes("=")) {
      try {
        this.formCache = new URLSearchParams(t.trim());
      } catch {
        this.formCache = null;
      }
    }
    return this.formCache;
  }
}

function obj(v: Json): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function str(v: unknown): string | null {
  if (typeof v === "string") return v.length === 0 ? null : v.length > MAX_FIELD ? v.slice(0, MAX_FIELD) : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

function field(v: Json, ...path: string[]): string | null {
  let cur: unknown = v;
  for (const key of path) {
    const o = obj(cur);
    if (o === null) return null;
    cur = o[key];
  }
  return str(cur);
}

/** Distinct values of `key` over a JSON array of events (batch providers), at most 3 shown. */
function batchEvents(v: Json, key: string, idKey: string): { eventType: string | null; deliveryId: string | null } {
  if (!Array.isArray(v)) {
    const o = obj(v);
    return o === null ? { eventType: null, deliveryId: null } : { eventType: str(o[key]), deliveryId: str(o[idKey]) };
  }
  const seen: string[] = [];
  for (const item of v) {
    const t = str(obj(item)?.[key]);
    if (t !== null && !seen.includes(t)) seen.push(t);
    if (seen.length > 3) break;
  }
  const eventType = seen.length === 0 ? null : seen.length > 3 ? `${seen.slice(0, 3).join(", ")}, …` : seen.join(", ");
  // A batch has no single delivery id; a one-event batch uses its event id.
  const deliveryId = v.length === 1 ? str(obj(v[0])?.[idKey]) : null;
  return { eventType, deliveryId };
}

const DISCORD_INTERACTIONS: Record<number, string> = {
  1: "PING",
  2: "APPLICATION_COMMAND",
  3: "MESSAGE_COMPONENT",
  4: "APPLICATION_COMMAND_AUTOCOMPLETE",
  5: "MODAL_SUBMIT",
};

function cut(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  return t.length === 0 ? null : t.length > MAX_FIELD ? t.slice(0, MAX_FIELD) : t;
}

function result(provider: ProviderId, confidence: DetectionConfidence, eventType: string | null, deliveryId: string | null): Detection {
  return { provider, confidence, eventType: cut(eventType), deliveryId: cut(deliveryId) };
}

/** Header names (lower case) that decide detection; only these are collected from the header list. */
const INTERESTING = new Set([
  "stripe-signature", "calendly-webhook-signature",
  "x-github-event", "x-github-delivery", "x-github-hook-id", "x-hub-signature-256", "x-hub-signature",
  "x-gitlab-event", "x-gitlab-token", "x-gitlab-event-uuid", "x-gitlab-webhook-uuid", "x-gitlab-instance",
  "webhook-id", "webhook-signature", "webhook-timestamp", "svix-id", "svix-signature", "svix-timestamp",
  "x-slack-signature", "x-slack-request-timestamp",
  "x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-webhook-id", "x-shopify-event-id",
  "x-twilio-signature", "i-twilio-idempotency-token", "x-twilio-email-event-webhook-signature",
  "paddle-signature", "x-square-hmacsha256-signature", "x-square-signature",
  "x-zm-signature", "x-zm-request-timestamp", "x-zm-trackingid",
  "linear-signature", "linear-delivery", "linear-event",
  "x-signature-ed25519", "x-signature-timestamp",
  "twitch-eventsub-message-signature", "twitch-eventsub-message-id", "twitch-eventsub-message-type", "twitch-eventsub-subscription-type",
  "x-hubspot-signature", "x-hubspot-signature-v3", "x-hubspot-signature-version",
  "typeform-signature", "x-atlassian-webhook-identifier", "x-event-key", "x-request-uuid", "x-request-id", "x-hook-uuid",
  "user-agent", "content-type",
]);

/**
 * Recognises the provider of a capture from its raw headers (wire order, any case), reading the body only
 * for the event type / id of body-carried providers or to settle ambiguous headers.
 */
export function detectProvider(headers: HeaderList, body?: DetectBody): Detection {
  try {
    return detect(headers, new BodyView(body));
  } catch {
    return NONE;
  }
}

function detect(headers: HeaderList, b: BodyView): Detection {
  const h = new Map<string, string>();
  for (const [name, value] of headers) {
    const n = name.toLowerCase();
    if (INTERESTING.has(n) && !h.has(n)) h.set(n, value);
  }
  const has = (n: string) => h.has(n);
  const get = (n: string) => h.get(n) ?? null;
  const ua = (get("user-agent") ?? "").toLowerCase();

  if (has("stripe-signature")) return result("stripe", "high", field(b.json(), "type"), field(b.json(), "id"));
  if (has("calendly-webhook-signature")) return result("calendly", "high", field(b.json(), "event"), null);

  if (has("x-github-event") || has("x-github-delivery") || has("x-github-hook-id")) {
    return result("github", "high", get("x-github-event"), get("x-github-delivery"));
  }
  if (has("x-gitlab-event") || has("x-gitlab-token") || has("x-gitlab-event-uuid") || has("x-gitlab-instance")) {
    return result("gitlab", "high", get("x-gitlab-event"), get("x-gitlab-event-uuid") ?? get("x-gitlab-webhook-uuid") ?? get("webhook-id"));
  }
  if (has("webhook-signature") || (has("webhook-id") && has("webhook-timestamp"))) {
    return result("standard-webhooks", has("webhook-signature") ? "high" : "medium", field(b.json(), "type"), get("webhook-id"));
  }
  if (has("svix-signature") || (has("svix-id") && has("svix-timestamp"))) {
    return result("svix", has("svix-signature") ? "high" : "medium", field(b.json(), "type"), get("svix-id"));
  }
  if (has("x-slack-signature") || has("x-slack-request-timestamp")) return slack(b);
  if (has("x-shopify-hmac-sha256") || has("x-shopify-topic")) {
    return result("shopify", "high", get("x-shopify-topic"), get("x-shopify-webhook-id") ?? get("x-shopify-event-id"));
  }
  if (has("x-twilio-email-event-webhook-signature")) {
    const ev = batchEvents(b.json(), "event", "sg_event_id");
    return result("sendgrid", "high", ev.eventType, ev.deliveryId);
  }
  if (has("x-twilio-signature")) return twilio(b, get("i-twilio-idempotency-token"));
  if (has("paddle-signature")) {
    const j = b.json();
    return result("paddle", "high", field(j, "event_type"), field(j, "notification_id") ?? field(j, "event_id"));
  }
  if (has("x-square-hmacsha256-signature") || has("x-square-signature")) {
    const j = b.json();
    return result("square", "high", field(j, "type"), field(j, "event_id"));
  }
  if (has("x-zm-signature") || has("x-zm-request-timestamp")) return result("zoom", "high", field(b.json(), "event"), get("x-zm-trackingid"));
  if (has("linear-signature") || has("linear-delivery") || has("linear-event")) {
    return result("linear", "high", get("linear-event") ?? field(b.json(), "type"), get("linear-delivery"));
  }
  if (has("x-signature-ed25519")) return discord(b);
  if (has("twitch-eventsub-message-signature") || has("twitch-eventsub-message-id")) {
    const messageType = get("twitch-eventsub-message-type");
    const subType = get("twitch-eventsub-subscription-type");
    const eventType = messageType !== null && messageType !== "notification" ? messageType : (subType ?? messageType);
    return result("twitch", "high", eventType, get("twitch-eventsub-message-id"));
  }
  if (has("x-hubspot-signature-v3") || has("x-hubspot-signature")) {
    const ev = batchEvents(b.json(), "subscriptionType", "eventId");
    return result("hubspot", "high", ev.eventType, ev.deliveryId);
  }
  if (has("typeform-signature")) {
    const j = b.json();
    return result("typeform", "high", field(j, "event_type"), field(j, "event_id"));
  }
  if (has("x-atlassian-webhook-identifier") || ua.startsWith("atlassian webhook")) {
    return result("jira", has("x-atlassian-webhook-identifier") ? "high" : "medium", field(b.json(), "webhookEvent"), get("x-atlassian-webhook-identifier"));
  }
  if (has("x-event-key") && (has("x-hook-uuid") || has("x-request-uuid") || has("x-hub-signature") || ua.startsWith("bitbucket"))) {
    return result("bitbucket", "high", get("x-event-key"), get("x-request-uuid") ?? get("x-request-id"));
  }
  const hub = get("x-hub-signature");
  if (hub !== null) {
    const sig = hub.trim().toLowerCase();
    if (sig.startsWith("sha1=")) {
      // GitHub's legacy header without any X-GitHub-* header: Intercom signs this way.
      const j = b.json();
      const confident = field(j, "type") === "notification_event" || ua.includes("intercom");
      return result("intercom", confident ? "high" : "medium", field(j, "topic"), field(j, "id"));
    }
    if (sig.startsWith("sha256=")) {
      const j = b.json();
      const jiraEvent = field(j, "webhookEvent");
      if (jiraEvent !== null) return result("jira", "medium", jiraEvent, null);
      return result("bitbucket", has("x-event-key") ? "medium" : "low", get("x-event-key"), get("x-request-uuid") ?? get("x-request-id"));
    }
  }
  if (has("x-event-key") && has("x-request-id")) return result("bitbucket", "medium", get("x-event-key"), get("x-request-id"));
  return byUserAgentOrBody(ua, (get("content-type") ?? "").toLowerCase(), b);
}

function slack(b: BodyView): Detection {
  const j = b.json();
  if (j !== undefined) {
    const type = field(j, "type");
    const eventType = type === "event_callback" ? (field(j, "event", "type") ?? type) : type;
    return result("slack", "high", eventType, field(j, "event_id"));
  }
  const form = b.form();
  if (form !== null) {
    const payload = form.get("payload");
    if (payload !== null && payload.length <= DETECT_BODY_LIMIT) {
      try {
        const p: unknown = JSON.parse(payload);
        return result("slack", "high", field(p, "type"), field(p, "trigger_id"));
      } catch {
        // not JSON: fall through
      }
    }
    return result("slack", "high", form.get("command"), form.get("trigger_id"));
  }
  return result("slack", "high", null, null);
}

function twilio(b: BodyView, idempotency: string | null): Detection {
  const form = b.form();
  let eventType: string | null = null;
  let id: string | null = null;
  if (form !== null) {
    const call = form.get("CallStatus");
    const msg = form.get("MessageStatus") ?? form.get("SmsStatus");
    eventType = call !== null ? `call.${call}` : msg !== null ? `message.${msg}` : null;
    id = form.get("MessageSid") ?? form.get("SmsSid") ?? form.get("CallSid");
  }
  return result("twilio", "high", eventType, idempotency ?? id);
}

function discord(b: BodyView): Detection {
  const j = b.json();
  const o = obj(j);
  if (o === null) return result("discord", "high", null, null);
  const event = field(o, "event", "type");
  if (event !== null) return result("discord", "high", event, null);
  if (typeof o.token === "string" && typeof o.type === "number") {
    return result("discord", "high", DISCORD_INTERACTIONS[o.type] ?? `interaction.${o.type}`, field(o, "id"));
  }
  if (o.type === 0) return result("discord", "high", "PING", null);
  return result("discord", "high", null, field(o, "id"));
}

/** Providers without a distinctive header (Mailgun signs inside the body) or sending only their User-Agent. */
function byUserAgentOrBody(ua: string, contentType: string, b: BodyView): Detection {
  // Only JSON or form bodies that mention a token are parsed: unknown captures stay cheap.
  const maybeMailgun =
    ua.startsWith("mailgun") || ((contentType.includes("json") || contentType.includes("x-www-form-urlencoded") || contentType === "") && (b.text()?.includes("token") ?? false));
  const mailgun = maybeMailgun ? mailgunFields(b) : null;
  if (mailgun !== null) return result("mailgun", "high", mailgun.eventType, mailgun.deliveryId);
  if (ua.startsWith("mailgun")) return result("mailgun", "medium", null, null);
  if (ua.startsWith("stripe/")) return result("stripe", "low", field(b.json(), "type"), field(b.json(), "id"));
  if (ua.startsWith("github-hookshot/")) return result("github", "low", null, null);
  if (ua.includes("shopify-captain-hook")) return result("shopify", "low", null, null);
  if (ua.startsWith("typeform")) return result("typeform", "low", field(b.json(), "event_type"), field(b.json(), "event_id"));
  if (ua.startsWith("bitbucket-webhooks")) return result("bitbucket", "low", null, null);
  return NONE;
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
