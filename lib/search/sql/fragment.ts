// SQL fragments for the HQL compiler: text and parameters kept apart until the one render, so user
// text only ever reaches the database as a bound parameter, and a fragment that is built but not
// used (the compiler builds a superset and a subset form of every node) adds no parameter.
export type Provider = "sqlite" | "postgresql";

export interface Param {
  readonly param: unknown;
}
export type Part = string | Param;
export type Frag = readonly Part[];

export const param = (value: unknown): Param => ({ param: value });

/** `sql\`a = ${param(x)} AND ${frag}\``: interpolations are parameters or nested fragments, never text. */
export function sql(strings: TemplateStringsArray, ...values: (Frag | Param)[]): Frag {
  const out: Part[] = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    const v = values[i];
    if (v === undefined) return;
    if (Array.isArray(v)) out.push(...(v as Frag));
    else out.push(v as Param);
  });
  return out;
}

export const TRUE: Frag = ["TRUE"];
export const FALSE: Frag = ["FALSE"];

export function join(frags: readonly Frag[], sep: string): Frag {
  const out: Part[] = [];
  frags.forEach((f, i) => {
    if (i > 0) out.push(sep);
    out.push("(", ...f, ")");
  });
  return out;
}

export function and(frags: readonly Frag[]): Frag {
  if (frags.some((f) => f === FALSE)) return FALSE;
  const kept = frags.filter((f) => f !== TRUE);
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0]! : join(kept, " AND ");
}

export function or(frags: readonly Frag[]): Frag {
  if (frags.some((f) => f === TRUE)) return TRUE;
  const kept = frags.filter((f) => f !== FALSE);
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0]! : join(kept, " OR ");
}

/** NULL counts as false (a missing JSON value, an absent provider), so NOT of it is true. */
export function not(f: Frag): Frag {
  if (f === TRUE) return FALSE;
  if (f === FALSE) return TRUE;
  return sql`NOT COALESCE((${f}), FALSE)`;
}

/**
 * The text and its parameters, numbered from `firstIndex` ($1… on PostgreSQL; `?` on SQLite, where
 * the parameters follow the text's order), for a statement that has `firstIndex - 1` parameters before it.
 */
export function render(f: Frag, provider: Provider, firstIndex = 1): { text: string; params: unknown[] } {
  let text = "";
  const params: unknown[] = [];
  for (const part of f) {
    if (typeof part === "string") text += part;
    else {
      params.push(part.param);
      text += provider === "postgresql" ? `$${firstIndex + params.length - 1}` : "?";
    }
  }
  return { text, params };
}

/**
 * LIKE with `\` as its escape: % _ and \ in user text are literals; `*` in a glob becomes %. A character
 * outside ASCII becomes % too: memory folds case with JavaScript's toLowerCase (Unicode, and it may change
 * the length), SQLite's LIKE and PostgreSQL's ILIKE (by locale) may not, so the SQL stays a superset.
 */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/[\u0080-\u{10FFFF}]+/gu, "%");
}

export const isAscii = (text: string) => !/[\u0080-\u{10FFFF}]/u.test(text);

export function globToLike(text: string): string {
  return text.split("*").map(likeEscape).join("%");
}

/** An FTS5 string: one phrase, double quotes doubled (the trigram tokenizer matches it as a substring). */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
