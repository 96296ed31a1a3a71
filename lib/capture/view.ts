// What a capture looks like to whoever asks: masked by the endpoint's redaction rules unless a
// member explicitly reveals it (audited). Views, share links, exports and the capture list all
// come through here, so a masked value cannot leak by another road.
import { db } from "../db/client";
import type { Principal } from "../auth/principal";
import { can } from "../auth/roles";
import { AppError, notFound } from "../http/errors";
import { contentEncodings, decodeForViewing } from "./decode";
import { audit } from "../audit/audit";
import { captureAccess } from "../endpoints/access";
import { redactCapture } from "../redaction/apply";
import { redactBody, redactQuery, type BodyMaskEntry, type HeaderMaskEntry, type QueryMaskEntry } from "../redaction/mask";
import type { RedactionRule } from "../redaction/rules";
import { rulesForEndpoint } from "../redaction/policy";
import type { CaptureDetail, CaptureSummary, HeaderPairs } from "./types";
import { getCapture, getCaptureOfEndpoint } from "./store";

export interface CaptureView extends CaptureDetail {
  /** What was masked (null when revealed). Values are never included. */
  masked: { headers: HeaderMaskEntry[]; query: QueryMaskEntry[]; body: BodyMaskEntry[] } | null;
  /** The caller may ask for the unmasked capture (?reveal=1). */
  canReveal: boolean;
  revealed: boolean;
}

/** Query masking for list rows and live events (the list shows the query string). */
export function maskSummary<T extends CaptureSummary>(summary: T, rules: readonly RedactionRule[]): T {
  if (!summary.query) return summary;
  const { query } = redactQuery(summary.query, rules);
  return query === summary.query ? summary : { ...summary, query };
}

async function bodyOf(captureId: string): Promise<Uint8Array> {
  const row = await db().capture.findUnique({ where: { id: captureId }, select: { body: true } });
  if (!row) throw notFound("capture");
  return row.body;
}

function masked(detail: CaptureDetail, body: Uint8Array, rules: readonly RedactionRule[]) {
  return redactCapture({ headers: detail.headers as HeaderPairs, query: detail.query, body, contentType: detail.contentType }, rules);
}

/** A capture for a principal: masked, or revealed (member and up; writes capture.reveal). */
export async function viewCapture(principal: Principal, id: string, opts: { reveal?: boolean; ip?: string | null } = {}): Promise<CaptureView> {
  const access = await captureAccess(principal, id, opts.reveal ? "capture.reveal" : "capture.read");
  const detail = await getCapture(principal, id);
  const canReveal = can(access.role, "capture.reveal");
  if (opts.reveal) {
    await audit(principal, { workspaceId: access.workspaceId, action: "capture.reveal", targetType: "capture", targetId: id, detail: { endpointId: access.endpointId, part: "headers" }, ip: opts.ip });
    return { ...detail, masked: null, canReveal, revealed: true };
  }
  const r = masked(detail, await bodyOf(id), await rulesForEndpoint(access.endpointId));
  return { ...detail, headers: r.headers, query: r.query, masked: r.masked, canReveal, revealed: false };
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
}

/**
 * Serves body bytes: the exact stored bytes when revealed; otherwise masked. Masking has to see
 * the plain text, so a compressed body is decoded (bounded) before masking and served decoded;
 * if it cannot be decoded the masked view withholds it rather than pass secrets through inside
 * the compressed bytes. `decode` asks for the decoded form even when revealed.
 */
export async function serveBody(
  raw: Uint8Array,
  headers: HeaderPairs,
  contentType: string | null,
  rules: readonly RedactionRule[] | null,
  decode: boolean,
): Promise<BodyResponse> {
  const encodings = contentEncodings(headers);
  const needsDecode = encodings.length > 0 && (decode || rules !== null);
  let bytes = raw;
  let decodeStatus: BodyResponse["decode"] = null;
  if (needsDecode) {
    const decoded = await decodeForViewing(raw, headers);
    if (!("bytes" in decoded)) {
      if (rules !== null) return { body: new Uint8Array(0), masked: true, decode: null, encodings, withheld: decoded.reason };
      throw new AppError(422, decoded.status === "failed" ? "decode_failed" : "unsupported_encoding", `Cannot decode the body: ${decoded.reason}.`);
    }
    bytes = decoded.bytes;
    decodeStatus = decoded.status;
  } else if (decode) {
    throw new AppError(422, "unsupported_encoding", "Cannot decode the body: the body has no Content-Encoding.");
  }
  if (rules === null) return { body: bytes, masked: false, decode: decodeStatus, encodings, withheld: null };
  const r = redactBody(bytes, contentType, rules);
  return { body: r.bytes, masked: r.changed, decode: decodeStatus, encodings, withheld: null };
}

/**
 * The body for a principal: masked unless revealed (member and up). `download` marks an export
 * (the Download button, scripts): it is audited whether masked or not; a reveal is always audited.
 */
export async function captureBodyFor(
  principal: Principal,
  id: string,
  opts: { reveal?: boolean; download?: boolean; decode?: boolean; ip?: string | null } = {},
): Promise<BodyResponse> {
  const access = await captureAccess(principal, id, opts.reveal ? "capture.reveal" : "capture.read");
  const detail = await getCapture(principal, id);
  const raw = await bodyOf(id);
  if (opts.reveal || opts.download) {
    await audit(principal, {
      workspaceId: access.workspaceId,
      action: opts.download ? "capture.export" : "capture.reveal",
      targetType: "capture",
      targetId: id,
      detail: { endpointId: access.endpointId, part: "body", masked: !opts.reveal },
      ip: opts.ip,
    });
  }
  const rules = opts.reveal ? null : await rulesForEndpoint(access.endpointId);
  return serveBody(raw, detail.headers, detail.contentType, rules, opts.decode === true);
}

/** The same masked view for a share link (no principal; never revealed; views audited by the caller). */
export async function shareCaptureView(
  endpointId: string,
  captureId: string,
): Promise<{ view: CaptureView; raw: Uint8Array; rules: RedactionRule[] }> {
  const detail = await getCaptureOfEndpoint(endpointId, captureId);
  const raw = await bodyOf(captureId);
  const rules = await rulesForEndpoint(endpointId);
  const r = masked(detail, raw, rules);
  return { view: { ...detail, headers: r.headers, query: r.query, masked: r.masked, canReveal: false, revealed: false }, raw, rules };
}


