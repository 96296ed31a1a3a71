// `json.<path>` in SQL. SQLite: json_extract / json_type over the CaptureSearch.json text (paths
// with `[]` narrow to "the prefix is an array or object" and are confirmed in memory). PostgreSQL:
// one `s.json @? jsonpath` (jsonb; the GIN index on json serves @? by the path's keys), the path and
// its filter built here as text but bound as ONE parameter: user text never becomes SQL.
// Every form is a superset of the in-memory semantics; none claims to be exact (numbers written as
// strings, case folding and lax-mode array unwrapping are left to the confirm step).
import type { Interval, JsonStep, Value } from "../hql/ast";
import { COL } from "./columns";
import { FALSE, type Frag, likeEscape, or, param, sql, TRUE, type Provider } from "./fragment";

type Pred = { kind: "eq"; values: Value[] } | { kind: "range"; interval: Interval } | { kind: "has" };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const json = [COL.json];

function sqlitePath(steps: readonly JsonStep[]): string | null {
  let p = "$";
  for (const s of steps) {
    if ("key" in s) {
      if (PLAIN_KEY.test(s.key)) p += `.${s.key}`;
      // SQLite's quoted labels have no escapes: a key with a quote or backslash is left to the confirm step.
      else if (/["\\]/.test(s.key)) return null;
      else p += `."${s.key}"`;
    } else if ("index" in s) p += `[${s.index}]`;
    else return null;
  }
  return p;
}

function pgPath(steps: readonly JsonStep[]): string {
  let p = "$";
  for (const s of steps) {
    if ("key" in s) p += `.${JSON.stringify(s.key)}`;
    else if ("index" in s) p += `[${s.index}]`;
    else p += "[*]";
  }
  return p;
}

// Outside ASCII, PostgreSQL's case-insensitive regex folds by locale, memory by toLowerCase: any run there matches.
const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[\u0080-\u{10FFFF}]+/gu, ".*");
const NUMERIC_TEXT = `@.type() == "string" && @ like_regex "^\\\\s*[-+]?[0-9.]+([eE][-+]?[0-9]+)?\\\\s*$"`;

function pgNumber(n: number): string | null {
  return Number.isFinite(n) ? String(n) : null;
}

function pgValueFilter(v: Value): string | null {
  switch (v.kind) {
    case "string": {
      const body = v.glob ? v.text.split("*").map(regexEscape).join(".*") : regexEscape(v.text);
      const re = `@ like_regex ${JSON.stringify(`^${body}$`)} flag "is"`;
      const n = Number(v.text);
      return v.text.trim() !== "" && Number.isFinite(n) ? `${re} || @ == ${n}` : re;
    }
    case "number": {
      const n = pgNumber(v.n);
      return n === null ? null : `@ == ${n} || @ == ${JSON.stringify(v.text)} || (${NUMERIC_TEXT})`;
    }
    case "boolean":
      return `@ == ${v.b} || @ == "${v.b}"`;
    case "null":
      return "@ == null";
  }
}

function pgIntervalFilter(i: Interval): string | null {
  const parts: string[] = [];
  if (i.min !== undefined) {
    const n = pgNumber(i.min);
    if (n === null) return null;
    parts.push(`@ ${i.minInclusive ? ">=" : ">"} ${n}`);
  }
  if (i.max !== undefined) {
    const n = pgNumber(i.max);
    if (n === null) return null;
    parts.push(`@ ${i.maxInclusive ? "<=" : "<"} ${n}`);
  }
  return `(${parts.length ? parts.join(" && ") : '@.type() == "number"'}) || (${NUMERIC_TEXT})`;
}

function pgJson(steps: readonly JsonStep[], pred: Pred): Frag {
  const path = pgPath(steps);
  let filter: string | null;
  if (pred.kind === "has") filter = null;
  else if (pred.kind === "range") {
    filter = pgIntervalFilter(pred.interval);
    if (filter === null) return sql`${json} IS NOT NULL`;
  } else {
    const fs = pred.values.map(pgValueFilter);
    if (fs.some((f) => f === null)) return sql`${json} IS NOT NULL`;
    filter = fs.map((f) => `(${f})`).join(" || ");
  }
  const jsonpath = filter === null ? path : `${path} ? (${filter})`;
  return sql`${json} @? CAST(${param(jsonpath)} AS jsonpath)`;
}

function sqliteValue(p: string, v: Value): Frag {
  const at = sql`json_extract(${json}, ${param(p)})`;
  const type = sql`json_type(${json}, ${param(p)})`;
  switch (v.kind) {
    case "string": {
      const pattern = v.glob ? v.text.split("*").map(likeEscape).join("%") : likeEscape(v.text);
      return sql`${at} LIKE ${param(pattern)} ESCAPE '\\'`;
    }
    case "number":
      return or([sql`CAST(${at} AS REAL) = ${param(v.n)}`, sql`${at} = ${param(v.text)}`]);
    case "boolean":
      return or([sql`${type} = ${param(v.b ? "true" : "false")}`, sql`${at} = ${param(String(v.b))}`]);
    case "null":
      return sql`${type} = 'null'`;
  }
}

function sqliteJson(steps: readonly JsonStep[], pred: Pred): Frag {
  const firstAny = steps.findIndex((s) => "any" in s);
  if (firstAny >= 0) {
    const prefix = sqlitePath(steps.slice(0, firstAny));
    return prefix === null ? sql`${json} IS NOT NULL` : sql`json_type(${json}, ${param(prefix)}) IN ('array', 'object')`;
  }
  const p = sqlitePath(steps);
  if (p === null) return sql`${json} IS NOT NULL`;
  if (pred.kind === "has") return sql`json_type(${json}, ${param(p)}) IS NOT NULL`;
  if (pred.kind === "eq") return or(pred.values.map((v) => sqliteValue(p, v)));
  const at = sql`CAST(json_extract(${json}, ${param(p)}) AS REAL)`;
  const { min, max, minInclusive, maxInclusive } = pred.interval;
  const parts: Frag[] = [sql`json_type(${json}, ${param(p)}) IN ('integer', 'real', 'text', 'true', 'false')`];
  if (min !== undefined) parts.push(minInclusive ? sql`${at} >= ${param(min)}` : sql`${at} > ${param(min)}`);
  if (max !== undefined) parts.push(maxInclusive ? sql`${at} <= ${param(max)}` : sql`${at} < ${param(max)}`);
  return parts.length === 1 ? parts[0]! : ["(", ...parts.flatMap((f, i) => (i ? [" AND ", ...f] : f)), ")"];
}

/** A superset condition for `json.<path>` with the predicate (never exact). */
export function jsonCondition(steps: readonly JsonStep[], pred: Pred, provider: Provider): Frag {
  if (pred.kind === "eq" && pred.values.length === 0) return FALSE;
  if (steps.length === 0 && pred.kind === "has") return sql`${json} IS NOT NULL`;
  if (steps.length === 0) return TRUE;
  return provider === "postgresql" ? pgJson(steps, pred) : sqliteJson(steps, pred);
}
