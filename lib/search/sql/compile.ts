// HQL → a SQL WHERE condition over FROM_SEARCH (lib/search/sql/columns.ts), on SQLite or PostgreSQL.
//
// Soundness: the condition is a SUPERSET of the in-memory semantics (lib/search/hql/evaluate.ts):
// it never drops a capture that evaluate() would match; whatever it cannot decide in SQL (case
// folding outside ASCII, globs, `[]` paths on SQLite, query/form fields, numbers written as
// strings) it lets through and the search service confirms with evaluate(). To stay a superset
// under NOT, every node is compiled twice: `sup` (holds for every match) and `sub` (holds only for
// matches); NOT x is `NOT sub(x)` / `NOT sup(x)`. `exact` = sup and sub are the same condition, so
// the SQL alone decides and a count needs no confirm.
import type { FieldRef, Interval, Node, Predicate, Query, Value } from "../hql/ast";
import { COL, FTS_LOW, FTS_TABLE, FTS_UP_TO } from "./columns";
import {
  and,
  FALSE,
  type Frag,
  ftsPhrase,
  globToLike,
  isAscii,
  likeEscape,
  not,
  or,
  param,
  type Provider,
  render,
  sql,
  TRUE,
} from "./fragment";
import { jsonCondition } from "./json-sql";
import { ipCondition } from "./ip-sql";
import { overlapsMask } from "./mask-overlap";

interface Pair {
  sup: Frag;
  sub: Frag;
}

export interface CompileOptions {
  /** The endpoints the search runs over (for `endpoint:<id|alias>`); other values match nothing. */
  endpoints?: readonly { id: string; alias: string | null }[];
  /**
   * The caller cannot reveal: matches are confirmed on the MASKED document, and the SQL (which reads
   * the unmasked projection) must stay a superset of those. A condition on a part redaction can
   * change keeps only its superset form, and only when its literal text cannot overlap a mask mark
   * (then a match in the masked text is a match in the stored text); otherwise it is undecided. Its
   * subset form is FALSE, so NOT over it never narrows: the unmasked text can never take a row out
   * (which would tell the caller where a masked value occurs).
   */
  masked?: boolean;
  /**
   * SQLite: needles the FTS index holds for so many rows that the newest-first walk of the endpoint meets
   * a page sooner (the service probes each one, lib/search/plan.ts): checked per row with LIKE instead.
   */
  broad?: ReadonlySet<string>;
  /** Collects the needles sent to the FTS index (for that probe). */
  ftsNeedles?: Set<string>;
}

export interface Compiled {
  /** Holds for every match (the superset). */
  where: Frag;
  /** Holds only for matches (FALSE when nothing is sure): rows it selects need no confirm. */
  sure: Frag;
  exact: boolean;
}

const exactly = (f: Frag): Pair => ({ sup: f, sub: f });
const loosely = (f: Frag): Pair => ({ sup: f, sub: FALSE });
/** Left wholly to the confirm step. */
const UNDECIDED: Pair = { sup: TRUE, sub: FALSE };
/** Printable ASCII: SQL's case folding (LIKE, ILIKE) agrees with the evaluator's on it. */
const ASCII = /^[\x20-\x7e]*$/;

export function compile(query: Query, provider: Provider, opts: CompileOptions = {}): Compiled {
  if (!query.root) return { where: TRUE, sure: TRUE, exact: true };
  const p = new Compiler(provider, opts).node(query.root);
  return { where: p.sup, sure: p.sub, exact: p.sup === p.sub };
}

/** compile + render: the WHERE text (parameters numbered from `firstIndex`) and its parameters. */
export function compileToSql(query: Query, provider: Provider, opts: CompileOptions & { firstIndex?: number } = {}) {
  const { where, exact } = compile(query, provider, opts);
  return { ...render(where, provider, opts.firstIndex), exact };
}

class Compiler {
  constructor(
    private readonly provider: Provider,
    private readonly opts: CompileOptions,
  ) {}

  node(n: Node): Pair {
    switch (n.kind) {
      case "and": {
        const ps = n.children.map((c) => this.node(c));
        return this.combine(ps, and);
      }
      case "or": {
        const ps = n.children.map((c) => this.node(c));
        return this.combine(ps, or);
      }
      case "not": {
        const p = this.node(n.child);
        if (p.sup === p.sub) return exactly(not(p.sup));
        return { sup: not(p.sub), sub: not(p.sup) };
      }
      case "text":
        return this.guard(this.text(n.text), "text", [n.text]);
      case "has":
        return this.guard(this.has(n.field), n.field.name, []);
      case "field":
        return this.guard(this.field(n.field, n.predicate), n.field.name, literalsOf(n.predicate));
    }
  }

  /** For a caller who cannot reveal (see CompileOptions.masked). */
  private guard(p: Pair, field: string, literals: readonly string[]): Pair {
    if (!this.opts.masked || !MASKABLE.has(field)) return p;
    if (UNMASKED_ONLY.has(field) || literals.some(overlapsMask)) return UNDECIDED;
    return p.sup === FALSE ? p : { sup: p.sup, sub: FALSE };
  }

  private combine(ps: Pair[], op: (fs: Frag[]) => Frag): Pair {
    const sup = op(ps.map((p) => p.sup));
    if (ps.every((p) => p.sup === p.sub)) return exactly(sup);
    return { sup, sub: op(ps.map((p) => p.sub)) };
  }

  /** Case-insensitive LIKE (SQLite's LIKE folds ASCII; PostgreSQL's ILIKE, served by the pg_trgm index on text). */
  private like(col: string, pattern: string): Frag {
    return this.provider === "postgresql"
      ? sql`${[col]} ILIKE ${param(pattern)} ESCAPE '\\'`
      : sql`${[col]} LIKE ${param(pattern)} ESCAPE '\\'`;
  }

  /**
   * Substring of the projection text: on SQLite, for 3+ ASCII characters, the FTS5 trigram index inside its
   * indexed range and LIKE over the projection rows outside it (not indexed yet: the index has its own thread,
   * lib/capture/write/search-index-worker.ts), one IN list in the statement's own snapshot; else LIKE.
   */
  private textContains(needle: string): Frag {
    // MATCH folds case its own way: only ASCII needles go to the FTS index (others take the broader LIKE).
    if (this.provider === "sqlite" && needle.length >= 3 && isAscii(needle) && !this.opts.broad?.has(needle)) {
      this.opts.ftsNeedles?.add(needle);
      return sql`${[COL.seq]} IN (SELECT rowid FROM ${[FTS_TABLE]}(${param(ftsPhrase(needle))}) WHERE rowid BETWEEN ${[FTS_LOW]} AND ${[FTS_UP_TO]} UNION ALL SELECT "seq" FROM "CaptureSearch" WHERE ("seq" > ${[FTS_UP_TO]} OR "seq" < ${[FTS_LOW]}) AND "text" LIKE ${param(`%${likeEscape(needle)}%`)} ESCAPE '\\')`;
    }
    return this.like(COL.text, `%${likeEscape(needle)}%`);
  }

  private text(needle: string): Pair {
    if (needle === "") return exactly(TRUE);
    // The projection text holds the raw and the percent-decoded path and query, the "name: value" header
    // lines and the body text, as memory searches them (lib/search/hql/search-text.ts), one per line: a needle
    // without a newline found there is a match (sure), when SQL folds its case as memory does (ASCII).
    const f = this.textContains(needle);
    return { sup: f, sub: isAscii(needle) && !needle.includes("\n") ? f : FALSE };
  }

  /** A whole-value (or glob) match of a scalar column, case-insensitively. */
  private matchColumn(col: string, values: readonly Value[], upper = false): Pair {
    const ps = values.map((v): Pair => {
      if (v.kind === "boolean" || v.kind === "null") return UNDECIDED;
      // A number matches a held string equal to it once trimmed.
      if (v.kind === "number") return loosely(this.like(col, `%${likeEscape(v.text)}%`));
      const text = upper ? v.text.toUpperCase() : v.text;
      const glob = v.kind === "string" && v.glob;
      const f = this.like(col, glob ? globToLike(text) : likeEscape(text));
      return ASCII.test(text) && !glob ? exactly(f) : loosely(f);
    });
    return this.combine(ps, or);
  }

  /**
   * A whole-value (or glob) match of a projection column indexed case-insensitively per endpoint (migration
   * 20261206211137_search_field_indexes: SQLite `COLLATE NOCASE`, PostgreSQL `lower(col) text_pattern_ops`), so the
   * endpoint's matches are an index range rather than a walk of every row. ASCII values (where SQL folds case as
   * memory does) decide exactly; PostgreSQL serves a glob's literal prefix as a range of the text_pattern_ops index
   * (its planner weighs it against the newest-first walk). Others keep the LIKE superset.
   */
  private matchFolded(col: string, values: readonly Value[]): Pair {
    const ps = values.map((v): Pair => {
      if (v.kind !== "string" || !ASCII.test(v.text)) return this.matchColumn(col, [v]);
      const lower = v.text.toLowerCase();
      if (this.provider === "postgresql") {
        return exactly(v.glob ? sql`lower(${[col]}) LIKE ${param(globToLike(lower))} ESCAPE '\\'` : sql`lower(${[col]}) = ${param(lower)}`);
      }
      if (!v.glob) return exactly(sql`${[col]} = ${param(lower)} COLLATE NOCASE`);
      // No prefix range on SQLite (`+col` keeps SQLite's LIKE optimisation from deriving one off the NOCASE index):
      // a range made the planner take the field index and sort a broad glob's matches (every one of the endpoint's
      // rows for `event:iss*` in the plan test, 200 ms at 200k) over the newest-first walk that meets a page at
      // once; a count still reads the LIKE off the covering index.
      return exactly(sql`+${[col]} LIKE ${param(globToLike(lower))} ESCAPE '\\'`);
    });
    return this.combine(ps, or);
  }

  private interval(col: string, i: Interval): Frag {
    const parts: Frag[] = [];
    if (i.min !== undefined) parts.push(i.minInclusive ? sql`${[col]} >= ${param(i.min)}` : sql`${[col]} > ${param(i.min)}`);
    if (i.max !== undefined) parts.push(i.maxInclusive ? sql`${[col]} <= ${param(i.max)}` : sql`${[col]} < ${param(i.max)}`);
    return and(parts);
  }

  private numeric(col: string, pred: Predicate): Pair {
    if (pred.op === "range") return exactly(this.interval(col, pred.interval));
    if (pred.op !== "eq") return UNDECIDED;
    const ps = pred.values.map((v) => (v.kind === "number" ? exactly(sql`${[col]} = ${param(v.n)}`) : UNDECIDED));
    return this.combine(ps, or);
  }

  private field(f: FieldRef, pred: Predicate): Pair {
    if (pred.op === "eq" && pred.values.length === 0) return exactly(FALSE);
    switch (f.name) {
      case "status":
        return this.numeric(COL.status, pred);
      case "size":
        return this.numeric(COL.size, pred);
      case "received":
        return this.numeric(COL.received, pred);
      case "ip":
        return ipCondition(pred, (pattern) => this.like(COL.ip, pattern));
      case "json":
        if (pred.op === "cidr") return UNDECIDED;
        return loosely(
          jsonCondition(
            f.path,
            pred.op === "eq" ? { kind: "eq", values: pred.values } : { kind: "range", interval: pred.interval },
            this.provider,
          ),
        );
      case "endpoint":
        return pred.op === "eq" ? this.endpoint(pred.values) : exactly(FALSE);
      default:
        if (pred.op !== "eq") return UNDECIDED;
        return this.stringField(f, pred.values);
    }
  }

  private stringField(f: FieldRef, values: readonly Value[]): Pair {
    switch (f.name) {
      case "method":
        return this.matchColumn(COL.method, values, true);
      case "path": {
        // Memory matches the decoded path too: an encoded path is let through to the confirm step.
        const p = this.matchColumn(COL.path, values);
        return { sup: or([p.sup, sql`${[COL.path]} LIKE '%\\%%' ESCAPE '\\'`]), sub: p.sub };
      }
      case "provider":
        return this.matchFolded(COL.provider, values);
      case "event":
        return this.matchFolded(COL.event, values);
      case "delivery":
        return this.matchFolded(COL.delivery, values);
      case "type":
        return this.matchFolded(COL.bodyType, values);
      case "sig":
        return this.matchColumn(`COALESCE(${COL.sig}, 'unknown')`, values);
      case "rejected":
        return this.combine(
          values.map((v) => {
            if (v.kind === "boolean") return exactly(sql`${[COL.rejected]} IS ${[v.b ? "NOT NULL" : "NULL"]}`);
            return this.matchColumn(COL.rejected, [v]);
          }),
          or,
        );
      case "body":
        // Body text lies inside the projection text (after bodyStart): a superset.
        return this.combine(
          values.map((v) =>
            v.kind === "string" && !v.glob
              ? loosely(this.textContains(v.text))
              : v.kind === "number"
                ? loosely(this.textContains(v.text))
                : UNDECIDED,
          ),
          or,
        );
      case "header":
        return this.combine(
          values.map((v) => this.headerLine(f.key, v)),
          or,
        );
      case "query":
        return loosely(sql`${[COL.query]} <> ''`);
      case "form":
        return loosely(sql`${[COL.form]} IS NOT NULL`);
      default:
        return UNDECIDED;
    }
  }

  /** `header.<name>:v`: the line "\nname: v\n" in the projection text (FTS narrows, LIKE checks the line). */
  private headerLine(name: string, v: Value): Pair {
    if (v.kind === "boolean" || v.kind === "null") return loosely(this.headerPresent(name));
    const glob = v.kind === "string" && v.glob;
    const value = glob ? globToLike(v.text) : v.kind === "number" ? `%${likeEscape(v.text)}%` : likeEscape(v.text);
    const line = this.like(COL.text, `%\n${likeEscape(name)}: ${value}\n%`);
    const literal = glob ? `${name}: ${v.text.split("*")[0]}` : `${name}: ${v.text}`;
    const f = this.provider === "sqlite" ? and([this.textContains(literal), line]) : line;
    if (glob || v.kind !== "string" || !ASCII.test(v.text) || !ASCII.test(name) || name.startsWith("/")) return loosely(f);
    return { sup: f, sub: and([f, this.headerLineSure(name, v.text)]) };
  }

  /**
   * When the line "name: value" is surely a header (so the match is sure and a count needs no confirm): it lies
   * before the body text (substr(text, 1, bodyStart)), and neither the path nor the query can have made it. With
   * no `%` in them their decoded lines are the raw ones (up to `+` = space) and all of the head is BMP text, so
   * bodyStart (a JavaScript length) is the SQL length; a path starts with `/` (never a line "name: value" for a
   * name not starting with it) and a query without `:` cannot be one. Whatever fails these goes to the confirm step.
   */
  private headerLineSure(name: string, value: string | null): Frag {
    const line = value === null ? `%\n${likeEscape(name)}: %` : `%\n${likeEscape(name)}: ${likeEscape(value)}\n%`;
    const head = this.like(`substr(${COL.text}, 1, s."bodyStart")`, line);
    return and([
      head,
      sql`${[COL.path]} NOT LIKE '%\\%%' ESCAPE '\\'`,
      sql`${[COL.query]} NOT LIKE '%\\%%' ESCAPE '\\'`,
      sql`${[COL.query]} NOT LIKE '%:%'`,
    ]);
  }

  private headerPresent(name: string): Frag {
    const f = this.like(COL.text, `%\n${likeEscape(name)}: %`);
    return this.provider === "sqlite" ? and([this.textContains(`${name}: `), f]) : f;
  }

  private has(f: FieldRef): Pair {
    switch (f.name) {
      case "header": {
        const f0 = this.headerPresent(f.key);
        if (!ASCII.test(f.key) || f.key.startsWith("/")) return loosely(f0);
        return { sup: f0, sub: and([f0, this.headerLineSure(f.key, null)]) };
      }
      case "json":
        return loosely(jsonCondition(f.path, { kind: "has" }, this.provider));
      case "query":
        return loosely(sql`${[COL.query]} <> ''`);
      case "form":
        return loosely(sql`${[COL.form]} IS NOT NULL`);
      case "provider":
      case "event":
      case "delivery":
        return loosely(sql`${[COL[f.name]]} IS NOT NULL`);
      case "rejected":
        return loosely(sql`${[COL.rejected]} IS NOT NULL`);
      case "body":
        return loosely(sql`${[COL.size]} > 0`);
      default:
        return UNDECIDED;
    }
  }

  private endpoint(values: readonly Value[]): Pair {
    const known = this.opts.endpoints ?? [];
    const ids = new Set<string>();
    for (const v of values) {
      if (v.kind !== "string" && v.kind !== "number") continue;
      const text = v.kind === "string" ? v.text : v.text;
      const glob = v.kind === "string" && v.glob ? globRegex(text) : null;
      for (const e of known) {
        const names = [e.id, e.alias].filter((n): n is string => n !== null);
        if (names.some((n) => (glob ? glob.test(n) : n.toLowerCase() === text.toLowerCase()))) ids.add(e.id);
      }
    }
    if (ids.size === 0) return loosely(FALSE);
    const f = sql`${[COL.endpointId]} IN (${[...ids].flatMap((id, i) => (i ? [", ", param(id)] : [param(id)]))})`;
    // Strings resolve exactly as memory matches them (id or alias, case-insensitive or glob); numbers compare trimmed.
    return values.every((v) => v.kind === "string") ? exactly(f) : loosely(f);
  }
}

/** Fields read from parts redaction may change (headers, query, body). */
const MASKABLE = new Set(["text", "header", "query", "form", "body", "json", "size", "type", "event", "delivery"]);
/** …of which the SQL only knows the stored value (the masked size and type are the served body's). */
const UNMASKED_ONLY = new Set(["size", "type"]);

function literalsOf(p: Predicate): string[] {
  if (p.op !== "eq") return [];
  return p.values.flatMap((v) =>
    v.kind === "string" ? v.text.split("*") : v.kind === "number" ? [v.text] : [String(v.kind === "boolean" ? v.b : "null")],
  );
}

function globRegex(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split("*")
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[\\s\\S]*")}$`,
    "i",
  );
}
