// Byte and text helpers shared by the maskers. Edits are expressed as spans of the original so the
// untouched bytes are copied, never re-encoded.
import type { CompiledRegex } from "./compile";
import { REDACTION_LIMITS } from "./rules";
import { findRegexSpans } from "./safe-regex";

export interface ByteEdit {
  start: number;
  end: number;
  replacement: Uint8Array;
}

export const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Applies sorted, non-overlapping edits; returns the input itself when there are none. */
export function spliceBytes(bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  if (edits.length === 0) return bytes;
  let size = bytes.length;
  for (const e of edits) size += e.replacement.length - (e.end - e.start);
  const out = new Uint8Array(size);
  let from = 0;
  let to = 0;
  for (const e of edits) {
    out.set(bytes.subarray(from, e.start), to);
    to += e.start - from;
    out.set(e.replacement, to);
    to += e.replacement.length;
    from = e.end;
  }
  out.set(bytes.subarray(from), to);
  return out;
}

/** Applies sorted, non-overlapping edits to a string. */
export function spliceString(text: string, edits: readonly { start: number; end: number; replacement: string }[]): string {
  if (edits.length === 0) return text;
  let out = "";
  let from = 0;
  for (const e of edits) {
    out += text.slice(from, e.start) + e.replacement;
    from = e.end;
  }
  return out + text.slice(from);
}

/**
 * The leading part of `bytes` a regex may see, decoded, or null when it is not valid UTF-8 (binary).
 * Cut at `limit` bytes, backing off to a character boundary.
 */
export function decodeTextPrefix(bytes: Uint8Array, limit = REDACTION_LIMITS.regexTextBytes): { text: string; byteLength: number } | null {
  let end = Math.min(bytes.length, limit);
  if (end < bytes.length) {
    // Step back over continuation bytes so the cut falls between characters.
    let k = 0;
    while (end > 0 && k < 3 && ((bytes[end] as number) & 0xc0) === 0x80) {
      end--;
      k++;
    }
  }
  try {
    return { text: strictUtf8.decode(bytes.subarray(0, end)), byteLength: end };
  } catch {
    return null;
  }
}

export interface RegexHit {
  rule: number;
  count: number;
}

/**
 * Replaces every match of every regex in `text` with `mask`. Rules run in order, each over the
 * previous one's output; an empty match is skipped. Returns the new text and per-rule counts.
 */
export function maskRegexMatches(text: string, regexes: readonly CompiledRegex[], mask: string): { text: string; hits: RegexHit[] } {
  let current = text;
  const hits: RegexHit[] = [];
  for (const { rule, regex } of regexes) {
    const spans = findRegexSpans(regex, current, REDACTION_LIMITS.regexMatches);
    if (spans.length === 0) continue;
    current = spliceString(
      current,
      spans.map(([start, end]) => ({ start, end, replacement: mask })),
    );
    hits.push({ rule, count: spans.length });
  }
  return { text: current, hits };
}

/** The first regex rule that matches within the first regexTextBytes characters of `text`, or -1. */
export function anyRegexMatches(text: string, regexes: readonly CompiledRegex[]): number {
  const sample = text.length > REDACTION_LIMITS.regexTextBytes ? text.slice(0, REDACTION_LIMITS.regexTextBytes) : text;
  for (const { rule, regex } of regexes) if (findRegexSpans(regex, sample, 1).length > 0) return rule;
  return -1;
}

/** Regex-masks the text prefix of a byte range; null when it is binary or nothing matched. */
export function maskRegexInBytes(
  bytes: Uint8Array,
  regexes: readonly CompiledRegex[],
  mask: string,
): { bytes: Uint8Array; hits: RegexHit[] } | null {
  if (regexes.length === 0) return null;
  const decoded = decodeTextPrefix(bytes);
  if (!decoded) return null;
  const { text, hits } = maskRegexMatches(decoded.text, regexes, mask);
  if (hits.length === 0) return null;
  const head = encoder.encode(text);
  return { bytes: spliceBytes(bytes, [{ start: 0, end: decoded.byteLength, replacement: head }]), hits };
}
