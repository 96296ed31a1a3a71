/**
 * Provider detection for captures: recognises the webhook sender from its headers (and, only when a header alone
 * cannot tell, from a bounded look at the body), plus the event type and delivery / message id where the provider
 * sends them. The rules live with their providers (providers/<id>.ts); this runs them in their `order`, first match
 * wins. Runs for every row of the capture list, so: one pass over the headers, collecting only the names some rule
 * reads, and the body decoded and parsed at most once, lazily, and bounded (hints.ts). Never throws.
 */
import { BodyView, type DetectBody, type DetectionConfidence, type DetectionRule, type HeaderView } from "./hints";
import { listProviders, type ProviderId } from "./registry";
import type { HeaderList } from "./types";

export interface Detection {
  /** Provider id from the registry, or null when no known provider matched. */
  provider: ProviderId | null;
  confidence: DetectionConfidence | null;
  eventType: string | null;
  deliveryId: string | null;
}

const NONE: Detection = { provider: null, confidence: null, eventType: null, deliveryId: null };

/** Every provider's rules in ascending order (a stable sort: equal orders keep the registry order). */
const RULES: readonly { provider: ProviderId; rule: DetectionRule }[] = listProviders()
  .flatMap((p) => p.detection.rules.map((rule) => ({ provider: p.id, rule })))
  .sort((a, b) => a.rule.order - b.rule.order);

/** Header names (lower case) that some rule reads; only these are collected from the header list. */
const INTERESTING = new Set(["user-agent", "content-type", ...listProviders().flatMap((p) => p.detection.headers)]);

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
  const view: HeaderView = {
    has: (n) => h.has(n),
    get: (n) => h.get(n) ?? null,
    ua: (h.get("user-agent") ?? "").toLowerCase(),
    contentType: (h.get("content-type") ?? "").toLowerCase(),
  };
  for (const { provider, rule } of RULES) {
    const hit = rule.match(view, b);
    if (hit !== null) return { provider, ...hit };
  }
  return NONE;
}
