// The one body a view serves: the stored bytes when masking changes nothing, else decoded (bounded)
// and masked, or withheld when that cannot be done safely; and the facts (size, sha256, type) and
// body-fact headers that describe exactly those bytes (view.ts).
import { createHash } from "node:crypto";
import { contentEncodings, decodeForViewing } from "./decode";
import { AppError } from "../errors";
import { HEADER_MASK, redactBody, type BodyMaskEntry, type HeaderMaskEntry } from "../redaction/mask";
import type { RedactionRule } from "../redaction/rules";
import { needsPartsWorker, redactParts, type MaskedHeaders, type MaskedParts, type PartsInput } from "../redaction/parts";
import { needsRegexWorker, redactBodyOffThread, redactPartsOffThread } from "../redaction/regex-pool";
import type { HeaderPairs } from "../model/capture";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * The content type and codings as a masked view may name them: a rule can mask Content-Type or
 * Content-Encoding too (a `*` header rule, a regex matching in the value), and then neither the
 * summary's content type nor the download's name or headers may tell it. Masking itself still
 * works from the stored values.
 */
type Shown = { contentType: string | null; encodings: string[] };

/** The two header lists to mask, or null when there is nothing to mask. */
function typeAndCodingHeaders(headers: HeaderPairs, rules: readonly RedactionRule[] | null): PartsInput | null {
  if (rules === null) return null;
  const typed = headers.filter(([n]) => n.toLowerCase() === "content-type").slice(0, 1);
  const coded = headers.filter(([n]) => n.toLowerCase() === "content-encoding");
  if (typed.length === 0 && coded.length === 0) return null;
  return { headers: [typed, coded], queries: [] };
}

function shownOf(m: MaskedParts, contentType: string | null, encodings: string[]): Shown {
  const [t, c] = m.headers as [MaskedHeaders, MaskedHeaders];
  return { contentType: t.masked.length > 0 ? t.pairs[0]![1] : contentType, encodings: c.masked.length > 0 ? [] : encodings };
}

/** shownTypeAndCodings on this thread; null when its regex work belongs in a redaction worker. */
function shownTypeAndCodingsSync(
  headers: HeaderPairs,
  contentType: string | null,
  encodings: string[],
  rules: readonly RedactionRule[] | null,
): Shown | null {
  const input = typeAndCodingHeaders(headers, rules);
  if (input === null || rules === null) return { contentType, encodings };
  if (needsPartsWorker(input, rules)) return null;
  return shownOf(redactParts(input, rules), contentType, encodings);
}

async function shownTypeAndCodings(
  headers: HeaderPairs,
  contentType: string | null,
  encodings: string[],
  rules: readonly RedactionRule[] | null,
): Promise<Shown> {
  const input = typeAndCodingHeaders(headers, rules);
  if (input === null || rules === null) return { contentType, encodings };
  return shownOf(await redactPartsOffThread(input, rules), contentType, encodings);
}

export interface BodyResponse {
  body: Uint8Array;
  /** Anything was masked. */
  masked: boolean;
  /** The bytes are the decoded form of an encoded body (X-Hookscope-Decode). */
  decode: "decoded" | "truncated" | null;
  encodings: string[];
  /** A masked view of an encoded body that could not be decoded is withheld, not leaked. */
  withheld: string | null;
  /** What was masked in the bytes served (empty when revealed or nothing was). */
  entries: BodyMaskEntry[];
  /** The content type as the view shows it (masked when a rule masks Content-Type): names the download. */
  contentType: string | null;
  /**
   * Masking would have cost more than the redaction budget (lib/redaction/budget.ts, regex-pool.ts):
   * the body is withheld (fails closed). Body downloads say so in `X-Hookscope-Redaction: budget-exceeded`.
   */
  budgetExceeded?: boolean;
}

/** The reason a body withheld by the redaction budget gives. */
export const BUDGET_WITHHELD_REASON = "masking it would take more than the redaction budget allows";

function budgetWithheld(contentType: string | null, encodings: string[]): BodyResponse {
  return {
    body: new Uint8Array(0),
    masked: true,
    decode: null,
    withheld: BUDGET_WITHHELD_REASON,
    entries: [],
    contentType,
    encodings,
    budgetExceeded: true,
  };
}

/** The bytes served are exactly the stored bytes (nothing masked, decoded or withheld). */
export const servesStored = (r: BodyResponse) => !r.masked && r.decode === null && r.withheld === null;

/**
 * What a masked view of an encoded body serves when masking changed nothing: the stored bytes
 * ("stored": the body download, views, verification) or the decoded ones ("decoded": attempts,
 * whose UI shows a masked view of an encoded body as already decoded).
 */
export type UnmaskedEncoded = "stored" | "decoded";

/** serveBody without decoding: the answer for a body with no Content-Encoding (or revealed and not decoded); null when decoding is needed. */
export function serveBodySync(
  raw: Uint8Array,
  headers: HeaderPairs,
  contentType: string | null,
  rules: readonly RedactionRule[] | null,
  decode: boolean,
): BodyResponse | null {
  const encodings = contentEncodings(headers);
  if (encodings.length > 0)
    return rules === null && !decode
      ? { body: raw, masked: false, decode: null, encodings, withheld: null, entries: [], contentType }
      : null;
  const shown = shownTypeAndCodingsSync(headers, contentType, encodings, rules);
  // Header regex work too large for this thread: serveBody masks them in a redaction worker.
  if (shown === null) return null;
  const base = { decode: null, withheld: null, ...shown };
  if (decode) throw new AppError("unsupported_encoding", "Cannot decode the body: the body has no Content-Encoding.");
  if (rules === null) return { ...base, body: raw, masked: false, entries: [] };
  // Regex work too large for this thread: serveBody masks it in a redaction worker.
  if (needsRegexWorker(raw, rules)) return null;
  const r = redactBody(raw, contentType, rules);
  if (r.budgetExceeded) return budgetWithheld(base.contentType, base.encodings);
  return r.changed ? { ...base, body: r.bytes, masked: true, entries: r.masked } : { ...base, body: raw, masked: false, entries: [] };
}

/**
 * Serves body bytes: the exact stored bytes when revealed, or when masking changes nothing;
 * otherwise masked. Masking has to see the plain text, so a compressed body is decoded (bounded)
 * before masking; when that masks something the decoded, masked bytes are served. A body decoded
 * only in part (the bomb guard stopped) cannot vouch for the rest of the stored bytes, so its
 * masked view is the decoded part; one that cannot be decoded is withheld rather than pass secrets
 * through inside the compressed bytes. `decode` asks for the decoded form whatever the masking.
 */
export async function serveBody(
  raw: Uint8Array,
  headers: HeaderPairs,
  contentType: string | null,
  rules: readonly RedactionRule[] | null,
  decode: boolean,
  unmasked: UnmaskedEncoded = "stored",
): Promise<BodyResponse> {
  const now = serveBodySync(raw, headers, contentType, rules, decode);
  if (now) return now;
  const shown = await shownTypeAndCodings(headers, contentType, contentEncodings(headers), rules);
  if (decode && contentEncodings(headers).length === 0)
    throw new AppError("unsupported_encoding", "Cannot decode the body: the body has no Content-Encoding.");
  if (rules !== null && contentEncodings(headers).length === 0) {
    // Not encoded: serveBodySync passed it on because its regex work belongs off this thread.
    const r = await redactBodyOffThread(raw, contentType, rules);
    if (r.budgetExceeded) return budgetWithheld(shown.contentType, shown.encodings);
    const base = { decode: null, withheld: null, ...shown };
    return r.changed ? { ...base, body: r.bytes, masked: true, entries: r.masked } : { ...base, body: raw, masked: false, entries: [] };
  }
  const decoded = await decodeForViewing(raw, headers);
  if (!("bytes" in decoded)) {
    // The reason names the coding: not when the view masks Content-Encoding.
    const reason = shown.encodings.length > 0 ? decoded.reason : "its Content-Encoding could not be decoded";
    if (rules !== null) return { body: new Uint8Array(0), masked: true, decode: null, withheld: reason, entries: [], ...shown };
    throw new AppError(
      decoded.status === "failed" ? "decode_failed" : "unsupported_encoding",
      `Cannot decode the body: ${decoded.reason}.`,
    );
  }
  const base = { decode: decoded.status, withheld: null, ...shown };
  if (rules === null) return { ...base, body: decoded.bytes, masked: false, entries: [] };
  const r = await redactBodyOffThread(decoded.bytes, contentType, rules);
  if (r.budgetExceeded) return budgetWithheld(shown.contentType, shown.encodings);
  if (!r.changed && !decode && decoded.status === "decoded" && unmasked === "stored") {
    return { ...base, decode: null, body: raw, masked: false, entries: [] };
  }
  return { ...base, body: r.bytes, masked: r.changed, entries: r.masked };
}

/** What a view says about its body: size, sha256 and content type of the bytes it serves. */
export function bodyFacts(
  stored: { bodySize: number; bodySha256?: string },
  served: BodyResponse,
): { bodySize: number; bodySha256: string | null; contentType: string | null } {
  if (servesStored(served)) return { bodySize: stored.bodySize, bodySha256: stored.bodySha256 ?? null, contentType: served.contentType };
  // Withheld: nothing is shown, and the size stays so the view can say a body exists but is withheld.
  if (served.withheld !== null) return { bodySize: stored.bodySize, bodySha256: null, contentType: served.contentType };
  return { bodySize: served.body.byteLength, bodySha256: sha256(served.body), contentType: served.contentType };
}

/**
 * Headers whose values describe the body bytes. When a view shows the body masked, theirs
 * describe the original: a length tells the length of the masked values (a compressed one tells
 * about the content, as in CRIME), a digest is a hash to test guesses against offline. So they are
 * masked too. A fixed list: a sender's own header carrying a body hash under another name is not
 * recognised (a header rule can mask it).
 */
const BODY_FACT_HEADERS = new Set(["content-length", "content-md5", "digest", "content-digest", "repr-digest", "x-amz-content-sha256"]);

export function maskBodyFactHeaders(
  headers: { pairs: HeaderPairs; masked: HeaderMaskEntry[] },
  served: BodyResponse,
): { pairs: HeaderPairs; masked: HeaderMaskEntry[] } {
  // Nothing masked (stored bytes, or decoded as they are): nothing hidden to tell about. Withheld:
  // nothing is shown (the size stays, see bodyFacts).
  if (!served.masked || served.withheld !== null) return headers;
  const already = new Set(headers.masked.map((m) => m.index));
  const extra: HeaderMaskEntry[] = [];
  const pairs = headers.pairs.map(([name, value], index): [string, string] => {
    if (value === "" || already.has(index) || !BODY_FACT_HEADERS.has(name.toLowerCase())) return [name, value];
    extra.push({ index, name, rule: -1, by: "body" });
    return [name, HEADER_MASK];
  });
  if (extra.length === 0) return headers;
  return { pairs, masked: [...headers.masked, ...extra].sort((a, b) => a.index - b.index) };
}
