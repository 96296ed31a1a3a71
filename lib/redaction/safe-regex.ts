// User-supplied regexes run on RE2JS (a pure-JS port of RE2): matching is linear in the input, so
// a pattern like `(a+)+$` or `\w+@\w+\.com` cannot stall a page on hostile text the way V8's
// backtracking engine does (measured: `\w+@\w+\.com` over 64 KiB of "a" takes ~3 s in V8, ~1 ms
// here). The cost is RE2 syntax: no backreferences and no lookaround; those patterns are refused.
// Linear is not cheap, though: RE2's cost is program size × text length, and counted repetition
// multiplies the program (`((a{1,10}){1,10}){1,10}$` compiles to 2,222 instructions and took 146 s
// over 1 MiB). So regex work is bounded three ways:
// - at save, by REGEX_LIMITS below (pattern length, nested repetition, nesting depth, program size,
//   and the program size of all of a rule list's regexes together);
// - per masking call, by a budget of time and scanned bytes (budget.ts): past it the masking fails
//   closed (the body is withheld, never shown unmasked);
// - off the threads that serve other tenants: bodies whose regex work could be large are masked in
//   a worker with a hard deadline (regex-pool.ts).
// Only the first REDACTION_LIMITS.regexTextBytes of a text are scanned, and at most
// REDACTION_LIMITS.regexMatches matches per rule per text.
//
// A pattern with a group named `mask` (`(?P<mask>…)` or `(?<mask>…)`) masks only that group, so
// context can be matched without being hidden: `password=(?P<mask>\S+)`.
import { RE2JS } from "re2js";
import { chargeRegexScan } from "./budget";

/** Save-time limits on redaction regexes; a pattern (or rule list) over any of them is refused with a 422 naming it. */
export const REGEX_LIMITS = {
  maxPatternLength: 500,
  allowedFlags: /^(?!.*(.).*\1)[imsu]*$/,
  /**
   * The product of the upper bounds of nested counted repetitions (`{n,m}`, or n for `{n,}`):
   * `((a{1,10}){1,10}){1,10}` is 1,000 copies of `a`. RE2 itself allows up to 1,000.
   */
  maxRepeatProduct: 300,
  /** Groups nested inside each other. */
  maxNestingDepth: 100,
  /** Instructions in the compiled RE2 program of one pattern (RE2JS programSize()). */
  maxProgramSize: 1000,
  /** Instructions of all regex rules of one rule list (an endpoint's, or a workspace's) together. */
  maxTotalProgramSize: 5000,
};

export interface SafeRegex {
  re: RE2JS;
  /** Mask only the `mask` group rather than the whole match. */
  maskGroup: boolean;
  /** Instructions in the compiled program: the cost of scanning one character. */
  programSize: number;
}

export type RegexCheck = { ok: true; regex: SafeRegex } | { ok: false; error: string };

/** Compiles a redaction regex or says why it is refused. `u` is accepted and implied. Never throws. */
export function compileRedactionRegex(pattern: string, flags = ""): RegexCheck {
  if (pattern.length === 0) return { ok: false, error: "empty pattern" };
  if (pattern.length > REGEX_LIMITS.maxPatternLength)
    return { ok: false, error: `longer than ${REGEX_LIMITS.maxPatternLength} characters` };
  if (!REGEX_LIMITS.allowedFlags.test(flags)) return { ok: false, error: "flags may only be i, m, s and u, each once" };
  let bits = 0;
  if (flags.includes("i")) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes("m")) bits |= RE2JS.MULTILINE;
  if (flags.includes("s")) bits |= RE2JS.DOTALL;
  const shape = repetitionShape(pattern);
  if (shape.depth > REGEX_LIMITS.maxNestingDepth) return { ok: false, error: `groups nested deeper than ${REGEX_LIMITS.maxNestingDepth}` };
  if (shape.product > REGEX_LIMITS.maxRepeatProduct) {
    return { ok: false, error: `nested repetition expands to ${shape.product} copies (at most ${REGEX_LIMITS.maxRepeatProduct})` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, bits);
  } catch {
    return { ok: false, error: "does not compile (RE2 syntax: no backreferences or lookaround)" };
  }
  const size = re.programSize();
  if (size > REGEX_LIMITS.maxProgramSize)
    return { ok: false, error: `compiles to ${size} instructions (at most ${REGEX_LIMITS.maxProgramSize})` };
  if (re.matcher("").find()) return { ok: false, error: "matches the empty string" };
  return { ok: true, regex: { re, maskGroup: Object.hasOwn(re.namedGroups(), "mask"), programSize: size } };
}

/**
 * How far a pattern's counted repetitions multiply (the largest product of nested upper bounds)
 * and how deep its groups nest, read from the pattern text. Conservative where RE2 syntax is
 * ambiguous to this scanner: a `{` that RE2 would read as a literal may count as a repetition.
 */
export function repetitionShape(pattern: string): { product: number; depth: number } {
  // One frame per open group: the largest product inside it so far.
  const frames: number[] = [1];
  let last = 0; // the product of the atom just read (0: none, e.g. after `(` or `|`)
  let depth = 0;
  let best = 1;
  const note = (p: number) => {
    const top = frames.length - 1;
    frames[top] = Math.max(frames[top] as number, p);
    best = Math.max(best, p);
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        i = end < 0 ? pattern.length : end + 1;
      } else if ((n === "p" || n === "P" || n === "x") && pattern[i + 2] === "{") {
        const end = pattern.indexOf("}", i + 3);
        i = end < 0 ? pattern.length : end;
      } else {
        i++;
      }
      last = 1;
      note(1);
    } else if (c === "[") {
      // A class: skip to its closing `]` (a `]` first, or after `^`, is literal; `[:alpha:]` nests).
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") {
        if (pattern[j] === "\\") j++;
        else if (pattern[j] === "[" && pattern[j + 1] === ":") {
          const end = pattern.indexOf(":]", j + 2);
          if (end >= 0) j = end + 1;
        }
        j++;
      }
      i = j;
      last = 1;
      note(1);
    } else if (c === "(") {
      frames.push(1);
      depth = Math.max(depth, frames.length - 1);
      last = 0;
    } else if (c === ")") {
      const inner = frames.length > 1 ? (frames.pop() as number) : 1;
      last = inner;
      note(inner);
    } else if (c === "|") {
      last = 0;
    } else if (c === "{") {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(i, i + 12));
      if (m && last > 0) {
        const upper = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Number(m[1]) : Number(m[3]);
        last *= Math.max(1, upper);
        note(last);
        i += m[0].length - 1;
      } else {
        last = 1;
        note(1);
      }
    } else if (c === "*" || c === "+" || c === "?") {
      // Uncounted repetition adds a loop, not copies.
    } else {
      last = 1;
      note(1);
    }
  }
  return { product: best, depth };
}

/**
 * Spans [start, end) (UTF-16 indexes into `text`) to mask, in order, empty ones skipped, at most
 * `limit` of them.
 */
export function findRegexSpans(regex: SafeRegex, text: string, limit: number): [number, number][] {
  const spans: [number, number][] = [];
  const m = regex.re.matcher(text);
  // Each search is charged for the text it may scan; the budget stops the loop (by throwing)
  // once its time or bytes are spent. One search cannot be interrupted: the worker's deadline
  // (regex-pool.ts) bounds that.
  chargeRegexScan(text.length);
  while (spans.length < limit && m.find()) {
    const start = regex.maskGroup ? m.start("mask") : m.start();
    const end = regex.maskGroup ? m.end("mask") : m.end();
    if (start >= 0 && end > start) spans.push([start, end]);
    chargeRegexScan(0);
  }
  return spans;
}
