/**
 * The building blocks of provider detection hints (each provider's file holds its own rules, detect.ts runs them):
 * a bounded, lazy, memoised view of the body, a view of the few headers detection reads, and small field readers.
 * Detection runs for every row of the capture list, so the body is decoded and parsed at most once, lazily, and
 * only up to DETECT_BODY_LIMIT bytes.
 */

/** Bodies larger than this are not parsed for detection (the event type is then only taken from headers). */
export const DETECT_BODY_LIMIT = 256 * 1024;
/** Event types and ids longer than this are cut (they are shown in list rows). */
const MAX_FIELD = 200;

export type DetectionConfidence = "high" | "medium" | "low";

/** What a matching rule reports; detect.ts adds the id of the provider whose rule matched. */
export interface Hint {
  confidence: DetectionConfidence;
  eventType: string | null;
  deliveryId: string | null;
}

/** The headers detection collected (lower-case names, first occurrence), plus the user agent and content type. */
export interface HeaderView {
  has(name: string): boolean;
  get(name: string): string | null;
  /** User-Agent, lower case ("" when absent). */
  ua: string;
  /** Content-Type, lower case ("" when absent). */
  contentType: string;
}

/**
 * One detection rule. Rules of every provider run in ascending `order`, the first match wins:
 * 100–299 distinctive headers, 300–399 headers several providers share (X-Hub-Signature), 400+ user agent and body.
 */
export interface DetectionRule {
  order: number;
  match(h: HeaderView, b: BodyView): Hint | null;
}

export interface ProviderDetection {
  /** Header names (lower case) the rules read; only these are collected from the header list. */
  headers: readonly string[];
  rules: readonly DetectionRule[];
}

export type DetectBody = Uint8Array | string | null | undefined;

type Json = unknown;

/** Lazy, bounded, memoised views of the body. */
export class BodyView {
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

export function obj(v: Json): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function str(v: unknown): string | null {
  if (typeof v === "string") return v.length === 0 ? null : v.length > MAX_FIELD ? v.slice(0, MAX_FIELD) : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

export function field(v: Json, ...path: string[]): string | null {
  let cur: unknown = v;
  for (const key of path) {
    const o = obj(cur);
    if (o === null) return null;
    cur = o[key];
  }
  return str(cur);
}

/** Distinct values of `key` over a JSON array of events (batch providers), at most 3 shown. */
export function batchEvents(v: Json, key: string, idKey: string): { eventType: string | null; deliveryId: string | null } {
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

function cut(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  return t.length === 0 ? null : t.length > MAX_FIELD ? t.slice(0, MAX_FIELD) : t;
}

export function hint(confidence: DetectionConfidence, eventType: string | null | undefined, deliveryId: string | null | undefined): Hint {
  return { confidence, eventType: cut(eventType), deliveryId: cut(deliveryId) };
}
