/**
 * The `signature` field of capture summaries (list, detail, live stream): the provider recognised from the headers,
 * the event type and delivery id, and the stored status when there is one. Detection sees what the caller sees:
 * header values and body pass through the endpoint's redaction rules first, so a masked value cannot come back as
 * an event type or id. Bodies are only read for rows whose headers leave the event type or id open, bounded.
 */
import "../runtime/server-only";
import { db } from "../db/client";
import type { CaptureSignature, CaptureSummary, HeaderPairs } from "../model/capture";
import { redactBody, type RedactedBody } from "../redaction/mask";
import { needsPartsWorker, redactParts, type MaskedHeaders } from "../redaction/parts";
import { needsRegexWorker, redactBodyOffThread, redactHeadersOffThread } from "../redaction/regex-pool";
import type { RedactionRule } from "../redaction/rules";
import { detectProvider, type Detection } from "./detect";
import { getProvider } from "./registry";
import { byIdsOfEndpoint, statusesFor } from "./checks";
import type { SignatureStatus } from "./capture-status";

/** Bodies larger than this are not read for a list row's event type. */
export const LIST_DETECT_BODY_MAX = 64 * 1024;
/** Body bytes read per list request for detection, at most. */
export const LIST_DETECT_BYTES = 2 * 1024 * 1024;

function signatureOf(d: Detection, status: SignatureStatus | undefined): CaptureSignature {
  return {
    provider: d.provider,
    providerName: d.provider === null ? null : (getProvider(d.provider)?.name ?? null),
    eventType: d.eventType,
    deliveryId: d.deliveryId,
    ...(status !== undefined ? { status } : {}),
  };
}

const BODY_MEDIA = /json|x-www-form-urlencoded|^$/;

/** Detection from the headers alone; whether the body could add the event type or id (or the provider: Mailgun). */
function headerDetection(headers: HeaderPairs, contentType: string | null): { detection: Detection; wantsBody: boolean } {
  const detection = detectProvider(headers);
  const open =
    detection.provider === null
      ? BODY_MEDIA.test((contentType ?? "").toLowerCase())
      : detection.eventType === null || detection.deliveryId === null;
  return { detection, wantsBody: open };
}

/**
 * Detection over the stored headers and body, then the redaction check: the provider (a classification, decided
 * also by header names and algorithm prefixes such as `sha1=`) is always shown; the event type and delivery id only
 * when they are still visible in the masked headers or body. `rules` null = the caller revealed the capture.
 */
function detectVisible(
  headers: HeaderPairs,
  body: Uint8Array | null,
  contentType: string | null,
  rules: readonly RedactionRule[] | null,
): Detection {
  const d = detectProvider(headers, body);
  if (rules === null || (d.eventType === null && d.deliveryId === null)) return d;
  // Header regex work too large for this thread (live events are masked synchronously): the event
  // type and id are not shown (fails closed); lists and details use detectVisibleAsync.
  const input = { headers: [headers], queries: [] };
  if (needsPartsWorker(input, rules)) return { ...d, eventType: null, deliveryId: null };
  const maskedHeaders = redactParts(input, rules).headers[0]!;
  return visibleOf(d, maskedHeaders, body === null || body.byteLength === 0 ? null : redactBody(body, contentType, rules));
}

/** detectVisible with the body masked off this thread when its regex work is large (lib/redaction/regex-pool.ts). */
async function detectVisibleAsync(
  headers: HeaderPairs,
  body: Uint8Array | null,
  contentType: string | null,
  rules: readonly RedactionRule[] | null,
): Promise<Detection> {
  const d = detectProvider(headers, body);
  if (rules === null || (d.eventType === null && d.deliveryId === null)) return d;
  const maskedHeaders = await redactHeadersOffThread(headers, rules);
  return visibleOf(d, maskedHeaders, body === null || body.byteLength === 0 ? null : await redactBodyOffThread(body, contentType, rules));
}

function visibleOf(d: Detection, maskedHeaders: MaskedHeaders, maskedBody: RedactedBody | null): Detection {
  if (maskedHeaders.masked.length === 0 && (maskedBody === null || !maskedBody.changed)) return d;
  let text: string | null = null;
  const bodyText = () => (text ??= maskedBody === null ? "" : Buffer.from(maskedBody.bytes).toString("utf8"));
  // Visible: detection over the masked view finds the same value (labels such as Discord's "PING" are derived),
  // or the value itself still appears there (the masked view may hide what tells the provider apart).
  const m = detectProvider(maskedHeaders.pairs, maskedBody?.bytes ?? null);
  const present = (v: string) => maskedHeaders.pairs.some(([, value]) => value.includes(v)) || bodyText().includes(v);
  const visible = (v: string | null, masked: string | null) =>
    v === null
      ? null
      : v === masked ||
          v
            .split(", ")
            .filter((p) => p !== "…")
            .every(present)
        ? v
        : null;
  return { ...d, eventType: visible(d.eventType, m.eventType), deliveryId: visible(d.deliveryId, m.deliveryId) };
}

/**
 * Adds `signature` to a page of summaries. `rules` = the endpoint's redaction rules (null: unmasked, for a caller
 * who revealed). Statuses: stored, or computed for a bounded number of rows without one.
 */
export async function withSignatures<T extends CaptureSummary>(
  endpointId: string,
  captures: readonly T[],
  rules: readonly RedactionRule[] | null,
): Promise<T[]> {
  if (captures.length === 0) return [...captures];
  const ids = captures.map((c) => c.id);
  // By id alone, the endpoint checked on the rows (see checks.ts byIdsOfEndpoint): `id IN (…) AND endpointId = ?` lets SQLite
  // walk the endpoint's whole (endpointId, seq) index instead of the 50 unique ids.
  const rows = byIdsOfEndpoint(
    endpointId,
    await db().capture.findMany({
      where: { id: { in: ids } },
      select: { id: true, endpointId: true, headers: true, contentType: true, bodySize: true },
    }),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const first = new Map<string, { detection: Detection; headers: HeaderPairs }>();
  const wantBody: string[] = [];
  let budget = LIST_DETECT_BYTES;
  for (const c of captures) {
    const row = byId.get(c.id);
    if (!row) continue;
    const headers = JSON.parse(row.headers) as HeaderPairs;
    const { wantsBody } = headerDetection(headers, row.contentType);
    first.set(c.id, { detection: await detectVisibleAsync(headers, null, row.contentType, rules), headers });
    if (wantsBody && row.bodySize > 0 && row.bodySize <= LIST_DETECT_BODY_MAX && row.bodySize <= budget) {
      budget -= row.bodySize;
      wantBody.push(c.id);
    }
  }
  const bodies = new Map<string, Uint8Array>();
  for (let i = 0; i < wantBody.length; i += 100) {
    const chunk = await db().capture.findMany({ where: { id: { in: wantBody.slice(i, i + 100) } }, select: { id: true, body: true } });
    for (const r of chunk) bodies.set(r.id, r.body);
  }
  const statuses = await statusesFor(endpointId, captures);
  return Promise.all(
    captures.map(async (c) => {
      const f = first.get(c.id);
      if (!f) return c;
      const body = bodies.get(c.id);
      const detection = body === undefined ? f.detection : await detectVisibleAsync(f.headers, body, byId.get(c.id)!.contentType, rules);
      return { ...c, signature: signatureOf(detection, statuses.get(c.id)) };
    }),
  );
}

/** The `signature` of one capture (detail view), detection over the whole (masked) body. */
export async function signatureForCapture(
  endpointId: string,
  capture: { id: string; bodySize: number },
  rules: readonly RedactionRule[] | null,
): Promise<CaptureSignature | null> {
  const row = await db().capture.findFirst({
    where: { id: capture.id, endpointId },
    select: { headers: true, body: true, contentType: true },
  });
  if (!row) return null;
  const detection = await detectVisibleAsync(JSON.parse(row.headers) as HeaderPairs, row.body, row.contentType, rules);
  const statuses = await statusesFor(endpointId, [capture]);
  return signatureOf(detection, statuses.get(capture.id));
}

/**
 * Detection for a live event (its status comes from lib/signatures/checks.ts liveStatus). Headers always; the body only when the
 * headers leave the event type or id open and it is small.
 */
export function liveSignature(
  raw: { headers: HeaderPairs; body: Uint8Array; contentType: string | null },
  rules: readonly RedactionRule[],
): CaptureSignature {
  const { wantsBody } = headerDetection(raw.headers, raw.contentType);
  // Synchronous (the stream keeps its order): a body whose regex work belongs in a worker is left out, as a large one is.
  const small = raw.body.byteLength > 0 && raw.body.byteLength <= LIST_DETECT_BODY_MAX && !needsRegexWorker(raw.body, rules);
  const body = wantsBody && small ? raw.body : null;
  return signatureOf(detectVisible(raw.headers, body, raw.contentType, rules), undefined);
}
