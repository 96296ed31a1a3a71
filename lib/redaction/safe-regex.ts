// User-supplied regexes run on RE2JS (a pure-JS port of RE2): matching is linear in the input, so
// a pattern like `(a+)+$` or `\w+@\w+\.com` cannot stall a page on hostile text the way V8's
// backtracking engine does (measured: `\w+@\w+\.com` over 64 KiB of "a" takes ~3 s in V8, ~1 ms
// here). The cost is RE2 syntax: no backreferences and no lookaround; those patterns are refused.
// Further bounds: 500-character patterns, only the first REDACTION_LIMITS.regexTextBytes of a text
// are scanned, and at most REDACTION_LIMITS.regexMatches matches per rule per text.
//
// A pattern with a group named `mask` (`(?P<mask>…)` or `(?<mask>…)`) masks only that group, so
// context can be matched without being hidden: `password=(?P<mask>\S+)`.
import { RE2JS } from "re2js";

export const REGEX_LIMITS = { maxPatternLength: 500, allowedFlags: /^(?!.*(.).*\1)[imsu]*$/ };

export interface SafeRegex {
  re: RE2JS;
  /** Mask only the `mask` group rather than the whole match. */
  maskGroup: boolean;
}

export type RegexCheck = { ok: true; regex: SafeRegex } | { ok: false; error: string };

/** Compiles a redaction regex or says why it is refused. `u` is accepted and implied. Never throws. */
export function compileRedactionRegex(pattern: string, flags = ""): RegexCheck {
  if (pattern.length === 0) return { ok: false, error: "empty pattern" };
  if (pattern.length > REGEX_LIMITS.maxPatternLength) return { ok: false, error: `longer than ${REGEX_LIMITS.maxPatternLength} characters` };
  if (!REGEX_LIMITS.allowedFlags.test(flags)) return { ok: false, error: "flags may only be i, m, s and u, each once" };
  let bits = 0;
  if (flags.includes("i")) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes("m")) bits |= RE2JS.MULTILINE;
  if (flags.includes("s")) bits |= RE2JS.DOTALL;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, bits);
  } catch {
    return { ok: false, error: "does not compile (RE2 syntax: no backreferences or lookaround)" };
  }
  if (re.matcher("").find()) return { ok: false, error: "matches the empty string" };
  return { ok: true, regex: { re, maskGroup: Object.hasOwn(re.namedGroups(), "mask") } };
}

/**
 * Spans [start, end) (UTF-16 indexes into `text`) to mask, in order, empty ones skipped, at most
 * `limit` of them.
 */
export function findRegexSpans(regex: SafeRegex, text: string, limit: number): [number, number][] {
  const spans: [number, number][] = [];
  const m = regex.re.matcher(text);
  while (spans.length < limit && m.find()) {
    const start = regex.maskGroup ? m.start("mask") : m.start();
    const end = regex.maskGroup ? m.end("mask") : m.end();
    if (start >= 0 && end > start) spans.push([start, end]);
  }
  return spans;
}
