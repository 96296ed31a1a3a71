// `?q=` on the live stream: each event says whether it matches the query (`matches: boolean`), evaluated in
// memory with the same evaluate() on the document the caller may search (masked when it cannot reveal:
// lib/search/confirm.ts), so the dashboard shows matching arrivals and counts the others ("N new, not
// matching"). Live events carry their raw row; a replayed one (Last-Event-ID) is read by its id.
import "../runtime/server-only";
import { db } from "../db/client";
import { liveRawOf } from "../live/event";
import type { CaptureSummary } from "../model/capture";
import type { RedactionRule } from "../redaction/rules";
import { detectProvider } from "../signatures/detect";
import { type CandidateRow, maskedDoc, storedDoc } from "./confirm";
import { evaluate } from "./hql/evaluate";
import { parseSearchQuery } from "./query-param";

export type LiveMatcher = (c: CaptureSummary) => Promise<boolean>;

/** null when `q` is absent or empty (events go out as before); a malformed `q` is the 422 of parseSearchQuery. */
export async function liveMatcher(
  access: { endpointId: string; canReveal: boolean; rules: readonly RedactionRule[] },
  q: string | null,
): Promise<LiveMatcher | null> {
  if (!q?.trim()) return null;
  const query = parseSearchQuery({ q });
  const rules = access.canReveal ? null : access.rules;
  const endpoint = await db().endpoint.findUnique({ where: { id: access.endpointId }, select: { alias: true } });
  const alias = endpoint?.alias ?? null;
  return async (c) => {
    let raw = liveRawOf(c);
    if (!raw) {
      const row = await db().capture.findUnique({ where: { id: c.id }, select: { headers: true, body: true, contentType: true } });
      if (!row) return false;
      raw = { headers: JSON.parse(row.headers) as [string, string][], body: Buffer.from(row.body), contentType: row.contentType };
    }
    const d = detectProvider(raw.headers, raw.body);
    const r: CandidateRow = {
      ...c,
      headers: JSON.stringify(raw.headers),
      contentType: raw.contentType,
      responseStatus: c.response.status,
      text: null,
      bodyStart: null,
      bodyType: null,
      provider: d.provider,
      event: d.eventType,
      delivery: d.deliveryId,
      json: null,
      form: null,
      sig: c.signature?.status ?? null,
    };
    const doc = rules ? await maskedDoc(r, raw.body, rules, alias) : await storedDoc(r, raw.body, alias);
    return evaluate(query, doc);
  };
}
