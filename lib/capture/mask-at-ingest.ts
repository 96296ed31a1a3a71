// Redact at ingest: the row is masked before the writer sees it (capture door, ingest.ts).
import zlib from "node:zlib";
import { promisify } from "node:util";
import type { HeaderPairs, NewCapture } from "../model/capture";
import { VALUE_MASK } from "../redaction/mask";
import { redactBodyOffThread, redactPartsOffThread } from "../redaction/regex-pool";
import type { RedactionRule } from "../redaction/rules";
import { contentEncodings, decodeForViewing } from "./decode";

/**
 * Redact at ingest (an endpoint option): the stored header values, query and body are the masked
 * ones, so secrets never reach the database; size and sha256 describe the stored bytes. A
 * compressed body is decoded (bounded), masked and compressed again with the same codings, so
 * the stored bytes are still what the headers say they are. Signatures can then no longer be
 * verified (the UI says so where the option is switched on).
 */
export async function maskAtIngest(row: NewCapture, rules: readonly RedactionRule[]) {
  // Headers and query off the door thread too when their regex work is large (fails closed: masked whole).
  const parts = await redactPartsOffThread({ headers: [row.headers], queries: [row.query], headerMask: VALUE_MASK }, rules);
  row.headers = parts.headers[0]!.pairs as HeaderPairs;
  row.query = parts.queries[0]!.query;
  const codings = contentEncodings(row.headers);
  let body: Uint8Array | null = null;
  let overBudget = false;
  if (codings.length === 0) {
    // Off this thread when the regex work is large (lib/redaction/regex-pool.ts): the door keeps
    // answering other endpoints meanwhile.
    const masked = await redactBodyOffThread(row.body, row.contentType, rules);
    overBudget = masked.budgetExceeded;
    if (masked.changed) body = masked.bytes;
  } else if (row.body.length > 0) {
    // Masking works on the plain text: compressed bytes are never masked as they are (that could
    // corrupt them); an encoded body that cannot be decoded in full is kept as received.
    const decoded = await decodeForViewing(row.body, row.headers);
    if (decoded.status === "decoded") {
      const masked = await redactBodyOffThread(decoded.bytes, row.contentType, rules);
      overBudget = masked.budgetExceeded;
      if (masked.budgetExceeded) body = masked.bytes;
      else if (masked.changed) body = await encodeAs(codings, masked.bytes);
    }
  }
  if (overBudget) {
    // Fails closed: the request is stored (its metadata, masked headers and query) without its body,
    // and says why; the sender is answered as usual.
    row.rejected = REDACTION_BUDGET_EXCEEDED;
    body = new Uint8Array(0);
  }
  if (body === null) return;
  row.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  row.bodySize = row.body.length;
  row.bodySha256 = null; // hashed by the write worker, like any other body
}

/** `rejected` of a capture stored without its body because masking it at ingest exceeded the redaction budget. */
export const REDACTION_BUDGET_EXCEEDED = "redaction_budget_exceeded";

const compress = {
  gzip: promisify(zlib.gzip),
  deflate: promisify(zlib.deflate),
  br: promisify(zlib.brotliCompress),
} as const;

async function encodeAs(codings: readonly string[], bytes: Uint8Array): Promise<Buffer> {
  let current = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const coding of codings) {
    const fn = compress[coding as keyof typeof compress];
    if (fn) current = await fn(current);
  }
  return current;
}
