// application/x-www-form-urlencoded pairs (query strings and form bodies) masked in place: a masked
// value's raw text is replaced by the mask; every other character, including how the sender encoded
// `+`, `%20` and repeated keys, is kept. Names are compared decoded and case-insensitively.
// Regexes are tested against each decoded value; a match masks the whole value (the raw text is
// percent-encoded, so a pattern written for the decoded text would not see it there). Like text
// bodies, regexes only see the first REDACTION_LIMITS.regexTextBytes of the raw text.
import { firstMatch, type CompiledRegex, type NameMatcher } from "./compile";
import { REDACTION_LIMITS } from "./rules";
import { anyRegexMatches, spliceString } from "./text";

export interface PairMask {
  /** 0-based position of the pair among the `&`-separated pairs. */
  index: number;
  /** The decoded name. */
  name: string;
  rule: number;
  by: "name" | "regex";
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Decodes one component (`+` is a space, `%XX` a byte, bytes read as UTF-8). In `binary` mode the
 * string's characters are bytes (a form body read as latin1); otherwise they are text. Never throws.
 */
export function decodeUrlComponent(s: string, binary: boolean): string {
  if (!/[%+]/.test(s) && (!binary || !/[\x80-\xff]/.test(s))) return s;
  const bytes: number[] = [];
  let out = "";
  const flush = () => {
    if (bytes.length > 0) {
      out += utf8.decode(new Uint8Array(bytes));
      bytes.length = 0;
    }
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) {
      bytes.push(0x20);
    } else if (c === 0x25 && i + 2 < s.length && hexValue(s.charCodeAt(i + 1)) >= 0 && hexValue(s.charCodeAt(i + 2)) >= 0) {
      bytes.push(hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2)));
      i += 2;
    } else if (binary || c < 0x80) {
      bytes.push(c & 0xff);
    } else {
      flush();
      out += s[i];
    }
  }
  flush();
  return out;
}

/**
 * Masks matching pairs of `raw` (no leading `?`). Empty values are left alone: there is nothing to
 * hide and the sender's shape stays visible.
 */
export function maskPairs(
  raw: string,
  names: readonly NameMatcher[],
  regexes: readonly CompiledRegex[],
  mask: string,
  binary: boolean,
): { text: string; masked: PairMask[] } {
  if (raw.length === 0 || (names.length === 0 && regexes.length === 0)) return { text: raw, masked: [] };
  const edits: { start: number; end: number; replacement: string }[] = [];
  const masked: PairMask[] = [];
  let start = 0;
  let index = 0;
  let eq = -1;
  while (start <= raw.length) {
    let end = raw.indexOf("&", start);
    if (end < 0) end = raw.length;
    // Reuse the last "=" found while it lies ahead: keeps `a&a&a…` linear.
    if (eq < start) eq = raw.indexOf("=", start);
    if (eq < 0) eq = raw.length + 1;
    if (eq + 1 < end) {
      const name = decodeUrlComponent(raw.slice(start, eq), binary);
      let rule = firstMatch(names, name);
      let by: PairMask["by"] = "name";
      if (rule < 0 && regexes.length > 0 && eq < REDACTION_LIMITS.regexTextBytes) {
        rule = anyRegexMatches(decodeUrlComponent(raw.slice(eq + 1, end), binary), regexes);
        by = "regex";
      }
      if (rule >= 0) {
        edits.push({ start: eq + 1, end, replacement: mask });
        masked.push({ index, name, rule, by });
      }
    }
    index++;
    start = end + 1;
  }
  return { text: spliceString(raw, edits), masked };
}
