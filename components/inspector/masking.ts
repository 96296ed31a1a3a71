// What the capture detail says about masked values. The server masks (lib/redaction) and lists
// what it masked by position and rule, never the values; these helpers only word that and keep
// "copy as" honest about it. Pure functions (tests/unit/inspector-masking.test.ts).
import type { HeaderPairs } from "@/lib/model/capture";
import type { BodyMaskEntry, HeaderMaskEntry, QueryMaskEntry } from "@/lib/redaction/mask";

import { BUILT_IN_RULE_COUNT, HEADER_MASK, VALUE_MASK } from "@/lib/redaction/marks";

export { HEADER_MASK, VALUE_MASK };
/** How many rules come first in every endpoint's list; the workspace's and the endpoint's own follow. */
export const BUILT_IN_RULES = BUILT_IN_RULE_COUNT;

export interface MaskSummary {
  headers: HeaderMaskEntry[];
  query: QueryMaskEntry[];
  body: BodyMaskEntry[];
}

function ruleSource(rule: number): string {
  return rule < BUILT_IN_RULES ? "a built-in rule" : "a workspace or endpoint rule";
}

export function headerMaskNote(entry: HeaderMaskEntry): string {
  if (entry.by === "body")
    return `Masked because the body is shown masked: ${entry.name} describes the original bytes (their length or digest).`;
  return entry.by === "name"
    ? `Masked by ${ruleSource(entry.rule)}: ${entry.name} is a secret header.`
    : `Masked by ${ruleSource(entry.rule)}: part of the value matched a redaction pattern.`;
}

export function queryMaskNote(entry: QueryMaskEntry): string {
  return entry.by === "name"
    ? `Masked by ${ruleSource(entry.rule)}: "${entry.name}" is a secret parameter.`
    : `Masked by ${ruleSource(entry.rule)}: the value matched a redaction pattern.`;
}

export function bodyMaskLabel(entry: BodyMaskEntry): string {
  switch (entry.kind) {
    case "json_path":
      return `JSON path ${entry.path}`;
    case "form_field":
      return `form field “${entry.field}”`;
    default: {
      const where = entry.field !== undefined ? ` in “${entry.field}”` : "";
      return `${entry.count} pattern match${entry.count === 1 ? "" : "es"}${where}`;
    }
  }
}

export function maskedCount(m: MaskSummary | null | undefined): number {
  return m ? m.headers.length + m.query.length + m.body.length : 0;
}

/** Position → note, for the header table. */
export function headerNotes(m: MaskSummary | null | undefined): Map<number, string> {
  return new Map((m?.headers ?? []).map((e) => [e.index, headerMaskNote(e)]));
}

export function queryNotes(m: MaskSummary | null | undefined): Map<number, string> {
  return new Map((m?.query ?? []).map((e) => [e.index, queryMaskNote(e)]));
}

/**
 * The headers "copy as" sends for what is shown: masked header values keep their mask in an ASCII
 * form (`Bearer [REDACTED]`), and when the server decoded a compressed body for the masked view,
 * Content-Encoding goes too (the copied body is the decoded one).
 */
export function headersForCopy(headers: HeaderPairs, masked: MaskSummary | null | undefined, bodyDecodedByServer: boolean): HeaderPairs {
  const maskedAt = new Set((masked?.headers ?? []).map((e) => e.index));
  const out: HeaderPairs = [];
  headers.forEach(([name, value], i) => {
    if (bodyDecodedByServer && name.toLowerCase() === "content-encoding") return;
    out.push([name, maskedAt.has(i) ? value.split(HEADER_MASK).join(VALUE_MASK) : value]);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Masked values inside a JSON body, for the JSON lens's "masked" marks. A masked JSON value reads
// `"[REDACTED]"`, which a body could also hold as data: the marks come from the entries the server
// lists (JSON path locations such as `$.users[0].email`; pattern matches), not from the text.

export interface JsonMasks {
  /** Masked location → the note for it. */
  paths: Map<string, string>;
  /** Locations the server shortened (`$[…]` + the last keys of a very deep value): matched by their tail. */
  tails: [tail: string, note: string][];
  /** Some pattern (regex) matched in the body: strings holding the mask text are marked as such. */
  patterns: string | null;
}

const ELIDED = "$[…]";

export function jsonMasks(entries: readonly BodyMaskEntry[] | null | undefined): JsonMasks | null {
  if (!entries || entries.length === 0) return null;
  const out: JsonMasks = { paths: new Map(), tails: [], patterns: null };
  for (const e of entries) {
    if (e.kind === "json_path") {
      const note = `Masked by ${ruleSource(e.rule)}: JSON path ${e.path}.`;
      if (e.path.startsWith(ELIDED)) out.tails.push([e.path.slice(ELIDED.length), note]);
      else out.paths.set(e.path, note);
    } else if (e.kind === "regex") {
      out.patterns ??= `Masked by ${ruleSource(e.rule)}: part of this value matched a redaction pattern.`;
    }
  }
  return out.paths.size > 0 || out.tails.length > 0 || out.patterns ? out : null;
}

/** The note for the JSON string value `value` at `location` (`$.a[0].b`) when it was masked, else null. */
export function jsonMaskNote(masks: JsonMasks | null, location: string, value: string): string | null {
  if (!masks) return null;
  const exact = masks.paths.get(location);
  if (exact) return exact;
  for (const [tail, note] of masks.tails) if (location.endsWith(tail)) return note;
  return masks.patterns !== null && value.includes(VALUE_MASK) ? masks.patterns : null;
}
