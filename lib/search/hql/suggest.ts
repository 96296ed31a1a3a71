// Autocomplete for the search bar: what can go at the cursor, with the range it replaces. Field
// names (and the header names, JSON paths and query names seen in this endpoint once the word is
// `header.`, `json.`, `query.`), `has:` targets, and the values of closed-set fields.
import { fieldCatalogue, HAS_FIELDS } from "./fields";

export interface SuggestContext {
  headerNames?: readonly string[];
  /** Paths as `json.<path>` or without the prefix: `data.object.amount`, `items[].id`. */
  jsonPaths?: readonly string[];
  queryNames?: readonly string[];
}

export interface SuggestItem {
  /** What the list shows. */
  label: string;
  /** What replaces [from, to). */
  insert: string;
  from: number;
  to: number;
  kind: "field" | "value";
  detail?: string;
}

const MAX_ITEMS = 50;
const VALUES: Record<string, readonly string[]> = {
  method: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
  status: ["2xx", "3xx", "4xx", "5xx", ">=500"],
  rejected: ["true", "false"],
  received: [">-1h", ">-24h", ">-7d", "-7d..-1d"],
};
for (const f of fieldCatalogue) if (f.values) VALUES[f.name] = f.values;

const isBoundary = (c: string | undefined) => c === undefined || c === " " || c === "\t" || c === "\n" || c === "(" || c === ")";

/** Field names for a prefix: generic names first, then the endpoint's names once the prefix has a dot. */
function fieldNames(prefix: string, ctx: SuggestContext, only?: readonly string[]): Omit<SuggestItem, "from" | "to" | "kind">[] {
  const p = prefix.toLowerCase();
  const names = fieldCatalogue.filter((f) => !only || only.includes(f.name));
  const out: Omit<SuggestItem, "from" | "to" | "kind">[] = names.map((f) => {
    const dot = f.name.indexOf(".<");
    const insert = dot >= 0 ? f.name.slice(0, dot + 1) : only ? f.name : `${f.name}:`;
    return { label: f.name, insert, detail: f.description };
  });
  const colon = only ? "" : ":";
  const specific = (root: string, names: readonly string[] = []) =>
    p.startsWith(`${root}.`) ? names.map((n) => ({ label: `${root}.${n}`, insert: `${root}.${n}${colon}` })) : [];
  out.push(
    ...specific(
      "header",
      (ctx.headerNames ?? []).map((n) => n.toLowerCase()),
    ),
    ...specific(
      "json",
      (ctx.jsonPaths ?? []).map((n) => (n.startsWith("json.") ? n.slice(5) : n)),
    ),
    ...specific("query", ctx.queryNames),
  );
  const seen = new Set<string>();
  return out.filter(
    (i) => i.insert.toLowerCase().startsWith(p) && i.insert.toLowerCase() !== p && !seen.has(i.insert) && seen.add(i.insert),
  );
}

/** Suggestions at `cursor` (an offset into `source`); [] inside a quoted phrase or when nothing fits. */
export function suggest(source: string, cursor: number, ctx: SuggestContext = {}): SuggestItem[] {
  const at = Math.max(0, Math.min(cursor, source.length));
  if ((source.slice(0, at).match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1) return [];
  let start = at;
  while (!isBoundary(source[start - 1])) start--;
  let end = at;
  while (!isBoundary(source[end])) end++;
  if (source[start] === "-") start++;
  const word = source.slice(start, at);
  const colon = word.indexOf(":");
  const items: SuggestItem[] = [];
  if (colon < 0) {
    for (const f of fieldNames(word, ctx)) items.push({ ...f, from: start, to: end, kind: "field" });
  } else {
    const field = word.slice(0, colon).toLowerCase();
    const rest = word.slice(colon + 1);
    const valueStart = start + colon + 1 + (/^(\[.*,|\[|>=|<=|>|<)?/.exec(rest)?.[0].length ?? 0);
    const prefix = source.slice(valueStart, at);
    let valueEnd = valueStart;
    while (valueEnd < end && source[valueEnd] !== "," && source[valueEnd] !== "]") valueEnd++;
    if (field === "has") {
      for (const f of fieldNames(prefix, ctx, HAS_FIELDS)) items.push({ ...f, from: valueStart, to: valueEnd, kind: "field" });
    } else if (!/^[<>]/.test(rest)) {
      for (const v of VALUES[field] ?? []) {
        if (v.toLowerCase().startsWith(prefix.toLowerCase()) && v.toLowerCase() !== prefix.toLowerCase())
          items.push({ label: v, insert: v, from: valueStart, to: valueEnd, kind: "value" });
      }
    }
  }
  return items.slice(0, MAX_ITEMS);
}
