// The answer a capture gets: the endpoint's response rule, its headers filtered for the serving origin.
import type { ServerResponse } from "node:http";
import { servedRuleHeaders, type ResponseRule } from "../endpoints/response-rule";
import type { ServingOrigin } from "../endpoints/response-header-policy";
import { requestIdOf } from "../runtime/node-response";

/** A rule's headers that do not change per capture, computed once per rule object and serving origin (rules are cached). */
const ruleHeaderCache = new WeakMap<ResponseRule, Map<ServingOrigin, string[]>>();

function staticRuleHeaders(rule: ResponseRule, at: ServingOrigin): string[] {
  let byOrigin = ruleHeaderCache.get(rule);
  const hit = byOrigin?.get(at);
  if (hit) return hit;
  const headers: string[] = [];
  let hasType = false;
  for (const [name, value] of servedRuleHeaders(rule, at)) {
    if (name.toLowerCase() === "content-type") hasType = true;
    headers.push(name, value);
  }
  if (!hasType) headers.push("Content-Type", rule.body !== null ? "text/plain; charset=utf-8" : "application/json; charset=utf-8");
  // A capture URL on the dashboard's own origin must never run a script there (a rule could
  // answer with HTML): the sandbox CSP gives such a response an opaque origin and no scripts.
  if (!at.own) headers.push("Content-Security-Policy", "sandbox; default-src 'none'");
  if (!byOrigin) {
    byOrigin = new Map();
    ruleHeaderCache.set(rule, byOrigin);
  }
  byOrigin.set(at, headers);
  return headers;
}

export function respondWithRule(res: ServerResponse, rule: ResponseRule, captureId: string, at: ServingOrigin) {
  if (res.destroyed) return;
  // The default body, as JSON.stringify({ ok: true, captureId }) writes it (ids are [A-Za-z0-9_-]).
  const body = rule.body ?? `{"ok":true,"captureId":"${captureId}"}`;
  const headers = staticRuleHeaders(rule, at).slice();
  headers.push("Content-Length", String(Buffer.byteLength(body)), "X-Hookscope-Capture-Id", captureId);
  // The door's request id, unless the rule sends its own.
  const id = requestIdOf(res);
  if (id && !headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === "x-request-id")) headers.push("X-Request-Id", id);
  res.writeHead(rule.status, headers);
  res.end(body);
}
