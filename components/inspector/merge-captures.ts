// The list is pages from the API (newest first) plus captures pushed by the live stream. Merging
// keeps one entry per sequence number, newest first, whatever order events arrive in.
export interface Sequenced {
  seq: number;
  id: string;
}

/** Puts live captures into the first page, dropping any already present; keeps newest first. */
export function mergeIntoFirstPage<T extends Sequenced, P extends { captures: T[] }>(pages: P[], incoming: T[]): P[] {
  if (pages.length === 0 || incoming.length === 0) return pages;
  const seen = new Set<number>();
  for (const page of pages) for (const c of page.captures) seen.add(c.seq);
  const fresh: typeof incoming = [];
  for (const c of incoming) {
    if (seen.has(c.seq)) continue;
    seen.add(c.seq);
    fresh.push(c);
  }
  if (fresh.length === 0) return pages;
  const first = pages[0]!;
  const captures = [...fresh, ...first.captures].sort((a, b) => b.seq - a.seq);
  return [{ ...first, captures }, ...pages.slice(1)];
}

/** All pages as one newest-first list without duplicates (pages can overlap after a refresh). */
export function flattenPages<T extends Sequenced>(pages: { captures: T[] }[] | undefined): T[] {
  const out: T[] = [];
  const seen = new Set<number>();
  for (const page of pages ?? []) {
    for (const c of page.captures) {
      if (seen.has(c.seq)) continue;
      seen.add(c.seq);
      out.push(c);
    }
  }
  return out;
}

export function removeCapture<T extends Sequenced, P extends { captures: T[] }>(pages: P[], id: string): P[] {
  return pages.map((p) => ({ ...p, captures: p.captures.filter((c) => c.id !== id) }));
}

export function newestSeq(items: Sequenced[]): number {
  let max = 0;
  for (const c of items) if (c.seq > max) max = c.seq;
  return max;
}
