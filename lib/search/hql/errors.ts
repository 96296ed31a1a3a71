// HQL errors: one class, positioned, so the API answers 422 with where and what, and the search bar
// underlines the exact span. `expected` names what the parser would have accepted there;
// `suggestions` are replacements for the span (nearest field names, allowed values).

export class HqlError extends Error {
  override readonly name = "HqlError";
  constructor(
    message: string,
    /** Offset of the offending text, [position, end). */
    readonly position: number,
    readonly end: number,
    readonly expected: string[] = [],
    readonly suggestions: string[] = [],
  ) {
    super(message);
  }

  toJSON(): { message: string; position: number; end: number; expected: string[]; suggestions: string[] } {
    return { message: this.message, position: this.position, end: this.end, expected: this.expected, suggestions: this.suggestions };
  }
}

/** Throws an HqlError whose message starts with the 1-based column ("column 12: …"; `position` is 0-based). */
export function fail(start: number, end: number, what: string, expected: string[] = [], suggestions: string[] = []): never {
  // Short "expected" lists are spelled out in the message unless it already names them.
  const spell = expected.length > 0 && expected.length <= 6 && !/\bexpected\b/.test(what) && !what.includes(expected[0]!);
  const list = spell
    ? `; expected ${expected.length === 1 ? expected[0] : `${expected.slice(0, -1).join(", ")} or ${expected.at(-1)}`}`
    : "";
  throw new HqlError(`column ${start + 1}: ${what}${list}`, start, Math.max(end, start), expected, suggestions);
}

/** Levenshtein distance, bounded inputs (field names), O(a·b). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidates within a distance that grows with the word's length (or that the word begins,
 * `prov` → provider), nearest first, at most 3.
 */
export function nearest(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.ceil(w.length / 3));
  return candidates
    .map((c) => ({ c, d: w.length >= 2 && c.toLowerCase().startsWith(w) ? 1 : editDistance(w, c.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, 3)
    .map(({ c }) => c);
}
