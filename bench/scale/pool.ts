// The bulk loader's sample pool (bench/scale/loader.ts): generating a corpus request (62 µs) and computing its
// search projection (160 µs, lib/search/projection.ts) for each of a million rows took most of the load's time.
// Instead, a bounded pool of distinct corpus samples (default 20,000, the corpus's own mix of kinds and sizes) is
// generated and projected once; each loaded row is a random pool item with its varying fields stamped afresh:
// - every user name (`user<digits>`) becomes a random user of the same digit count (q=user4242 still matches
//   about N / userSpace rows, spread over the table rather than repeated copies of a few items);
// - every UUID (GitHub delivery ids, request ids, idempotency keys) becomes a fresh random one (delivery:<id>
//   still matches exactly one row).
// The stamps are same-length ASCII substitutions of whole tokens, applied alike to the stored headers, query and
// body bytes and to the pool item's projection columns (text, json, form, delivery), so the stamped projection is
// what the write path computes from the stamped row. That is checked, not assumed: at pool build each item is
// stamped once with a random mapping and projected again by the write path's own function; an item whose
// patched projection differs (a gzip body, whose users are inside the compressed bytes; a token cut at a
// truncation) is reused verbatim, never stamped. The loader also re-projects one row in 500 during the load and
// stops on any difference. Ids, receivedAt and the sha256 are per row as before (the loader).
import { randomBytes } from "node:crypto";
import type { CaptureRowValues, SearchRowValues } from "../../lib/capture/write/rows";
import { CAPTURE_COLUMNS } from "../../lib/capture/write/rows";
import type { Corpus } from "./corpus";
import { prng } from "./gen";
import { projectRows } from "./projection";

const HEADERS = CAPTURE_COLUMNS.indexOf("headers");
const QUERY = CAPTURE_COLUMNS.indexOf("query");
const BODY = CAPTURE_COLUMNS.indexOf("body");
/** SEARCH_COLUMNS positions of the string columns a stamp can appear in: text, delivery, json, form. */
const STAMPED_SEARCH = [0, 5, 6, 7];

const USER = /user(\d+)/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}/g;
const TOKENS = new RegExp(`${USER.source}|${UUID.source}`, "g");

interface PoolItem {
  row: CaptureRowValues;
  search: SearchRowValues;
  cuts: Cuts;
  stamp: boolean;
}

export interface Pool {
  /** A row (CAPTURE_COLUMNS order, id and receivedAt still the template's) and its projection. */
  next(): { row: CaptureRowValues; search: SearchRowValues };
  /** Items built, and how many of them are stamped per row (the rest reused verbatim). */
  size: number;
  stamped: number;
}

/** One stamp mapping: each distinct token of a row to its fresh same-length replacement. */
function stamper(rand: () => number, userSpace: number) {
  let hex = randomBytes(4096).toString("hex");
  let at = 0;
  // Fresh random hex, refilled when used up (never reused: a delivery id stays unique).
  const freshHex = (n: number) => {
    if (at + n > hex.length) {
      hex = randomBytes(4096).toString("hex");
      at = 0;
    }
    const s = hex.slice(at, at + n);
    at += n;
    return s;
  };
  return () => {
    const map = new Map<string, string>();
    return (token: string, digits?: string): string => {
      let out = map.get(token);
      if (out === undefined) {
        if (digits !== undefined) {
          // Same digit count, inside the corpus's user space: user0..user9, user10..user99, …
          const lo = digits.length === 1 ? 0 : 10 ** (digits.length - 1);
          const hi = Math.min(10 ** digits.length, userSpace) - 1;
          out = hi < lo ? token : `user${lo + Math.floor(rand() * (hi - lo + 1))}`;
        } else {
          const h = freshHex(31);
          out = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-a${h.slice(15, 18)}-${h.slice(18, 30)}`;
        }
        map.set(token, out);
      }
      return out;
    };
  };
}

type Replace = (token: string, digits?: string) => string;

/** A string cut at its tokens, once per pool item, so a stamp is a join rather than a regex scan. */
interface Cut {
  pieces: string[];
  tokens: { token: string; digits?: string; at: number }[];
}
function cut(s: string): Cut {
  const pieces: string[] = [];
  const tokens: Cut["tokens"] = [];
  let from = 0;
  for (const m of s.matchAll(TOKENS)) {
    pieces.push(s.slice(from, m.index));
    tokens.push({ token: m[0], digits: m[1], at: m.index });
    from = m.index + m[0].length;
  }
  pieces.push(s.slice(from));
  return { pieces, tokens };
}
function join(c: Cut, replace: Replace): string {
  let out = c.pieces[0]!;
  for (let i = 0; i < c.tokens.length; i++) out += replace(c.tokens[i]!.token, c.tokens[i]!.digits) + c.pieces[i + 1]!;
  return out;
}

interface Cuts {
  headers: Cut;
  query: Cut;
  /** The body's tokens (latin1: string offsets are byte offsets). */
  body: Cut["tokens"];
  search: (Cut | null)[];
}
function cutsOf(row: CaptureRowValues, search: SearchRowValues): Cuts {
  return {
    headers: cut(row[HEADERS] as string),
    query: cut(row[QUERY] as string),
    body: cut((row[BODY] as Buffer).toString("latin1")).tokens,
    search: search.map((v, i) => (STAMPED_SEARCH.includes(i) && typeof v === "string" ? cut(v) : null)),
  };
}

function stampRow(item: PoolItem, replace: Replace): { row: CaptureRowValues; search: SearchRowValues } {
  const c = item.cuts;
  const row = item.row.slice();
  row[HEADERS] = join(c.headers, replace);
  row[QUERY] = join(c.query, replace);
  if (c.body.length > 0) {
    const body = Buffer.from(row[BODY] as Buffer);
    for (const t of c.body) body.write(replace(t.token, t.digits), t.at, "latin1");
    row[BODY] = body;
  }
  const search = item.search.slice() as SearchRowValues;
  for (const [i, sc] of c.search.entries()) if (sc) search[i] = join(sc, replace) as never;
  return { row, search };
}

const same = (a: SearchRowValues, b: SearchRowValues) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Builds the pool: `size` corpus samples as rows (`toRow`: the loader's NewCapture → row values), each projected
 * once by the write path's function and checked stampable; `verify` re-projects a row and throws on a difference.
 */
export async function buildPool(
  corpus: Pick<Corpus, "next" | "userSpace">,
  toRow: (req: ReturnType<Corpus["next"]>) => CaptureRowValues,
  opts: { size: number; seed?: number },
): Promise<Pool & { verify(row: CaptureRowValues, search: SearchRowValues): Promise<void> }> {
  const rand = prng(opts.seed ?? 1616);
  const mapping = stamper(rand, corpus.userSpace);
  const items: PoolItem[] = [];
  const chunk = 500;
  for (let i = 0; i < opts.size; i += chunk) {
    const rows = Array.from({ length: Math.min(chunk, opts.size - i) }, () => toRow(corpus.next()));
    const search = await projectRows(rows);
    const made = rows.map((row, k) => ({ row, search: search[k]!, cuts: cutsOf(row, search[k]!), stamp: true }));
    const trial = made.map((item) => stampRow(item, mapping()));
    const expected = await projectRows(trial.map((t) => t.row));
    for (const [k, item] of made.entries()) items.push({ ...item, stamp: same(trial[k]!.search, expected[k]!) });
  }
  const stamped = items.filter((p) => p.stamp).length;
  return {
    size: items.length,
    stamped,
    next() {
      const item = items[Math.floor(rand() * items.length)]!;
      return item.stamp ? stampRow(item, mapping()) : { row: item.row.slice(), search: item.search.slice() as SearchRowValues };
    },
    async verify(row, search) {
      const [expected] = await projectRows([row]);
      if (!same(search, expected!))
        throw new Error(`pool projection differs from the write path's for ${String(row[0])}: ${JSON.stringify({ search, expected })}`);
    },
  };
}
