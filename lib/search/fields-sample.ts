// GET /api/endpoints/:id/fields: the names (headers, query parameters, JSON paths) in the newest
// captures of an endpoint, for the search bar's autocomplete. Bounded so it stays cheap at a
// million rows: the newest SAMPLE_ROWS rows by the (endpointId, seq) index, and of those only the
// JSON bodies up to SAMPLE_BODY_BYTES, stored without a content-encoding, are parsed. Names only,
// never values (see field-names.ts), so viewers get the same answer as members.
import "../runtime/server-only";
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { endpointAccess } from "../endpoints/access";
import { collectFieldNames, type FieldNames, type FieldSample } from "./field-names";

export const SAMPLE_ROWS = 100;
export const SAMPLE_JSON_BODIES = 50;
export const SAMPLE_BODY_BYTES = 64 * 1024;

const isJsonType = (t: string | null) => t !== null && /^application\/(?:[\w.+-]+\+)?json\b/i.test(t);

export async function sampleFieldNames(principal: Principal, endpointId: string): Promise<FieldNames> {
  await endpointAccess(principal, endpointId, "capture.read");
  const rows = await db().capture.findMany({
    where: { endpointId },
    orderBy: { seq: "desc" },
    take: SAMPLE_ROWS,
    select: { seq: true, headers: true, query: true, contentType: true, bodySize: true },
  });
  const samples = new Map<number, FieldSample>();
  const jsonSeqs: number[] = [];
  for (const r of rows) {
    let headers: [string, string][] = [];
    try {
      headers = JSON.parse(r.headers) as [string, string][];
    } catch {
      // A row whose header list cannot be read contributes its query names only.
    }
    samples.set(r.seq, { headers, query: r.query });
    const encoded = headers.some(([n, v]) => n.toLowerCase() === "content-encoding" && v.trim().toLowerCase() !== "identity");
    if (isJsonType(r.contentType) && !encoded && r.bodySize > 0 && r.bodySize <= SAMPLE_BODY_BYTES && jsonSeqs.length < SAMPLE_JSON_BODIES)
      jsonSeqs.push(r.seq);
  }
  if (jsonSeqs.length > 0) {
    const bodies = await db().capture.findMany({ where: { seq: { in: jsonSeqs } }, select: { seq: true, body: true } });
    const decoder = new TextDecoder("utf-8", { fatal: false });
    for (const b of bodies) {
      const sample = samples.get(b.seq);
      if (!sample) continue;
      try {
        sample.json = JSON.parse(decoder.decode(b.body));
      } catch {
        // Not JSON after all: no paths from it.
      }
    }
  }
  return collectFieldNames(samples.values());
}
