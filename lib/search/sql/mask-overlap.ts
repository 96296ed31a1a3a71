// Whether a search literal could meet a mask mark in a masked document: share a run of characters
// with one of the marks across a boundary (a suffix of one = a prefix of the other), hold it, or lie
// inside it. Such a literal could match the masked text without matching the stored text, so the
// compiler does not narrow by it in SQL for callers who cannot reveal (lib/search/sql/compile.ts).
import { HEADER_MASK, VALUE_MASK } from "../../redaction/marks";

const MARKS = [HEADER_MASK, VALUE_MASK].map((m) => m.toLowerCase());

export function overlapsMask(literal: string): boolean {
  const t = literal.toLowerCase();
  if (t === "") return false;
  return MARKS.some((m) => {
    if (m.includes(t) || t.includes(m)) return true;
    for (let k = 1; k < Math.min(t.length, m.length); k++) {
      if (t.endsWith(m.slice(0, k)) || t.startsWith(m.slice(m.length - k))) return true;
    }
    return false;
  });
}
