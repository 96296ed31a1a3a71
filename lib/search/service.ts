// Search over stored captures (issue 16): one HQL query → the SQL superset (lib/search/sql/compile.ts)
// → candidates newest first in batches → confirmed in memory with evaluate() (lib/search/confirm.ts)
// unless the SQL alone decides. Pages are full whenever that many matches exist within the confirm
// bound; counts are one COUNT(*) when exact, else counted by confirming (bounded, said so).
import "../runtime/server-only";
import { toSummary } from "../capture/store";
import { db, dbProvider } from "../db/client";
import type { CaptureSummary } from "../model/capture";
import type { RedactionRule } from "../redaction/rules";
import type { Query } from "./hql/ast";
import { evaluate } from "./hql/evaluate";
import { type CandidateRow, candidateColumns, maskedDoc, projectionDoc, storedDoc } from "./confirm";
import { compilePlanned, compileUnplanned } from "./plan";
import { and, FALSE, type Frag, or, param, render, sql, TRUE } from "./sql/fragment";

/** One endpoint a search runs over; `rules` = its redaction rules when the caller cannot reveal, else null. */
export interface SearchEndpoint {
  id: string;
  alias: string | null;
  rules: readonly RedactionRule[] | null;
}

export interface SearchInput {
  endpoints: readonly SearchEndpoint[];
  query: Query;
  /**
   * Some of these endpoints' captures have no projection row yet: they are confirmed from their bytes. true: the
   * backfill is running (the answer says `indexing`); "tail": only captures the write worker has not projected yet
   * (seconds at most, not reported: indexingPending).
   */
  indexing?: boolean | "tail";
}

export interface SearchPage {
  captures: CaptureSummary[];
  /** Pass as `before` for the next (older) page; null when no older capture can match. */
  nextBefore: number | null;
  /** The confirm bound ended this page early (fewer than `limit` captures although more may match): keep following nextBefore. */
  partial?: boolean;
  indexing?: boolean;
}

/**
 * Confirm work per request, in rows examined. Projection documents (a caller who may reveal) cost a
 * JSON parse each, no body read; masked documents cost a body read and the redaction, so fewer, and
 * at most CONFIRM_BODY_BYTES of bodies. Past a bound the page ends early with `partial: true`.
 */
export const CONFIRM_ROWS = 20_000;
export const CONFIRM_ROWS_MASKED = 2_000;
export const CONFIRM_BODY_BYTES = 32 * 1024 * 1024;
/** A count confirms at most this many candidates (then answers `complete: false` with what it counted). */
export const COUNT_CONFIRM_ROWS = 50_000;

interface Scoped {
  where: Frag;
  sure: Frag;
  exact: boolean;
  /** The compiled condition alone (without the endpoint scope), and the endpoint ids' parameter list. */
  filter: Frag;
  inList: Frag;
}

/**
 * The endpoint scope and the compiled query. The scope is said of both tables (`c` and `s` hold the same
 * endpointId): the projection's per-endpoint field indexes (delivery, provider/event, type) are then reachable.
 * `planned: false` skips the SQLite probe for broad needles (lib/search/plan.ts): a count reads every match
 * anyway, and the FTS index's rowids are the cheaper way to all of them than LIKE over every projection row.
 */
async function scopeWhere(input: SearchInput, masked: boolean, planned = true): Promise<Scoped> {
  const opts = { endpoints: input.endpoints.map((e) => ({ id: e.id, alias: e.alias })), masked };
  const compiled = planned ? await compilePlanned(input.query, opts) : await compileUnplanned(input.query, opts);
  const ids = input.endpoints.map((e) => e.id);
  const inList: Frag = ids.flatMap((id, i) => (i ? [", ", param(id)] : [param(id)]));
  const where = input.indexing ? or([sql`s."seq" IS NULL`, compiled.where]) : compiled.where;
  // A row without its projection is never sure (its text is not there to have matched).
  const sure = input.indexing ? and([sql`s."seq" IS NOT NULL`, compiled.sure]) : compiled.sure;
  const scope = input.indexing
    ? [sql`c."endpointId" IN (${inList})`]
    : [sql`c."endpointId" IN (${inList})`, sql`s."endpointId" IN (${inList})`];
  return { where: and([...scope, where]), sure, exact: compiled.exact && !input.indexing, filter: compiled.where, inList };
}

/**
 * An exact count in one statement over only the tables its condition reads: CaptureSearch alone when no Capture
 * or signature column is named (its per-endpoint indexes answer it, often without reading a row), Capture alone
 * when no projection column is. Without a backfill running every capture has its projection row, so leaving the
 * inner join out changes no count; the signature join is a LEFT JOIN on a unique key (never changes a count).
 */
function countStatement(scoped: Scoped, indexing: boolean | "tail" | undefined): Frag {
  const parts = scoped.filter.filter((p): p is string => typeof p === "string").join(" ");
  const needC = /\bc\."(?!seq")/.test(parts);
  const needS = /\bs\."/.test(parts);
  const needK = /\bk\."/.test(parts);
  if (indexing) return sql`SELECT COUNT(*) AS n FROM ${[fromClause(true)]} WHERE ${scoped.where}`;
  if (!needC && !needK) {
    const filter = scoped.filter.map((p) => (typeof p === "string" ? p.replaceAll('c."seq"', 's."seq"') : p));
    return sql`SELECT COUNT(*) AS n FROM "CaptureSearch" s WHERE ${and([sql`s."endpointId" IN (${scoped.inList})`, filter])}`;
  }
  const k = needK ? ` LEFT JOIN "SignatureCheck" k ON k."captureId" = c."id"` : "";
  if (!needS)
    return sql`SELECT COUNT(*) AS n FROM ${[`"Capture" c${k}`]} WHERE ${and([sql`c."endpointId" IN (${scoped.inList})`, scoped.filter])}`;
  return sql`SELECT COUNT(*) AS n FROM ${[fromClause(false)]} WHERE ${scoped.where}`;
}

const fromClause = (indexing: boolean | "tail" | undefined) =>
  `"Capture" c ${indexing ? "LEFT JOIN" : "JOIN"} "CaptureSearch" s ON s."seq" = c."seq" LEFT JOIN "SignatureCheck" k ON k."captureId" = c."id"`;

async function candidates(input: SearchInput, scoped: Scoped, before: number | undefined, limit: number): Promise<CandidateRow[]> {
  const provider = dbProvider();
  // Ordered (and bounded) by the projection's seq when every row has one (s.seq = c.seq): then an equality on an
  // indexed projection field (delivery, provider/event, type: (endpointId, field, seq)) is a walk in page order, and
  // SQLite no longer prefers walking the endpoint's Capture index for the order alone. Bounded on both tables so
  // either side can lead the join.
  const seq = input.indexing ? `c."seq"` : `s."seq"`;
  const full = and([
    scoped.where,
    ...(before !== undefined ? [sql`c."seq" < ${param(before)}`, ...(input.indexing ? [] : [sql`s."seq" < ${param(before)}`])] : []),
  ]);
  // The subset condition rides along, so rows it selects skip the confirm step.
  const sure: Frag =
    scoped.sure === FALSE || scoped.sure === TRUE || scoped.exact ? [] : sql`, CASE WHEN ${scoped.sure} THEN 1 ELSE 0 END AS "sure"`;
  const { text, params } = render(and([full]), provider);
  const sureText = render(sure, provider, params.length + 1);
  const cols = candidateColumns(provider) + sureText.text;
  const limitPh = provider === "postgresql" ? `$${params.length + sureText.params.length + 1}` : "?";
  const statement = `SELECT ${cols} FROM ${fromClause(input.indexing)} WHERE ${text} ORDER BY ${seq} DESC LIMIT ${limitPh}`;
  // SQLite binds `?` in text order: the select list's parameters come first there.
  const args = provider === "postgresql" ? [...params, ...sureText.params, limit] : [...sureText.params, ...params, limit];
  const rows = await db().$queryRawUnsafe<CandidateRow[]>(statement, ...args);
  return rows.map((r) => ({ ...r, seq: Number(r.seq), bodySize: Number(r.bodySize), responseStatus: Number(r.responseStatus) }));
}

/** Confirms a batch; returns the verdicts in order, or stops early (fewer verdicts) when the body budget runs out. */
async function confirmBatch(input: SearchInput, rows: CandidateRow[], exact: boolean, budget: { bytes: number }): Promise<boolean[]> {
  const byId = new Map(input.endpoints.map((e) => [e.id, e]));
  const needsBody = (r: CandidateRow) => byId.get(r.endpointId)?.rules != null || r.text === null;
  const bodySeqs = rows.filter(needsBody).map((r) => r.seq);
  const bodies = new Map<number, Uint8Array>();
  for (let i = 0; i < bodySeqs.length; i += 100) {
    for (const b of await db().capture.findMany({ where: { seq: { in: bodySeqs.slice(i, i + 100) } }, select: { seq: true, body: true } }))
      bodies.set(b.seq, b.body);
  }
  const verdicts: boolean[] = [];
  for (const r of rows) {
    const ep = byId.get(r.endpointId);
    if (!ep) break;
    if (needsBody(r)) {
      const body = bodies.get(r.seq);
      if (!body) {
        verdicts.push(false); // deleted since the candidates were read
        continue;
      }
      if (budget.bytes < body.byteLength && verdicts.length > 0) break;
      budget.bytes -= body.byteLength;
      const doc = ep.rules ? await maskedDoc(r, body, ep.rules, ep.alias) : await storedDoc(r, body, ep.alias);
      verdicts.push(evaluate(input.query, doc));
    } else if (exact || r.sure === 1 || r.sure === true) verdicts.push(true);
    else verdicts.push(evaluate(input.query, projectionDoc(r, ep.alias)!));
  }
  return verdicts;
}

const isMasked = (input: SearchInput) => input.endpoints.some((e) => e.rules !== null);

/** Newest first: `limit` matches older than `before`, a full page whenever that many exist within the confirm bound. */
export async function searchPage(input: SearchInput & { limit: number; before?: number }): Promise<SearchPage> {
  const masked = isMasked(input);
  const scoped = await scopeWhere(input, masked);
  const { exact } = scoped;
  const extra = input.indexing === true ? { indexing: true } : {};
  if (input.endpoints.length === 0) return { captures: [], nextBefore: null, ...extra };
  const maxRows = masked || input.indexing === true ? CONFIRM_ROWS_MASKED : CONFIRM_ROWS;
  const budget = { bytes: CONFIRM_BODY_BYTES };
  const out: CaptureSummary[] = [];
  let cursor = input.before;
  let examined = 0;
  // Exact and unmasked: the SQL is the answer, one statement. Otherwise batches grow as matches prove rare.
  let batch = exact && !masked ? input.limit + 1 : Math.max(100, input.limit * 2);
  for (;;) {
    const rows = await candidates(input, scoped, cursor, batch);
    const verdicts = await confirmBatch(input, rows, exact && !masked, budget);
    for (let i = 0; i < verdicts.length; i++) {
      const r = rows[i]!;
      if (verdicts[i]) {
        if (out.length === input.limit) return { captures: out, nextBefore: out.at(-1)!.seq, ...extra };
        out.push(toSummary(r));
      }
      cursor = r.seq;
      examined++;
    }
    if (verdicts.length === rows.length && rows.length < batch) return { captures: out, nextBefore: null, ...extra };
    if (verdicts.length < rows.length || examined >= maxRows) {
      return { captures: out, nextBefore: cursor ?? null, partial: true, ...extra };
    }
    batch = Math.min(batch * 2, 2000);
  }
}

export interface CountResult {
  count: number;
  /** False when the confirm bound was reached: `count` matches were found and more may exist. */
  complete: boolean;
  indexing?: boolean;
}

export async function countMatches(input: SearchInput): Promise<CountResult> {
  const masked = isMasked(input);
  const extra = input.indexing === true ? { indexing: true } : {};
  if (input.endpoints.length === 0) return { count: 0, complete: true, ...extra };
  const run = async (statement: Frag) => {
    const { text, params } = render(statement, dbProvider());
    const [row] = await db().$queryRawUnsafe<{ n: number | bigint }[]>(text, ...params);
    return Number(row?.n ?? 0);
  };
  const countOf = (where: Frag) => run(sql`SELECT COUNT(*) AS n FROM ${[fromClause(input.indexing)]} WHERE ${where}`);
  if (!masked) {
    const unplanned = await scopeWhere(input, masked, false);
    if (unplanned.exact) return { count: await run(countStatement(unplanned, input.indexing)), complete: true, ...extra };
  }
  const scoped = await scopeWhere(input, masked);
  if (scoped.exact && !masked) return { count: await countOf(scoped.where), complete: true, ...extra };
  // Unmasked: the sure rows are counted in SQL; only the rest of the superset is confirmed.
  let count = 0;
  let rest = scoped;
  if (!masked && scoped.sure !== FALSE) {
    count = await countOf(and([scoped.where, scoped.sure]));
    rest = { ...scoped, where: and([scoped.where, sql`NOT COALESCE((${scoped.sure}), FALSE)`]), sure: FALSE, exact: false };
  }
  let cursor: number | undefined;
  let examined = 0;
  const budget = { bytes: Number.POSITIVE_INFINITY };
  const max = masked ? COUNT_CONFIRM_ROWS / 10 : COUNT_CONFIRM_ROWS;
  for (;;) {
    const rows = await candidates(input, rest, cursor, 1000);
    const verdicts = await confirmBatch(input, rows, false, budget);
    count += verdicts.filter(Boolean).length;
    examined += rows.length;
    if (rows.length < 1000) return { count, complete: true, ...extra };
    if (examined >= max) return { count, complete: false, ...extra };
    cursor = rows.at(-1)!.seq;
  }
}

/**
 * For delete by query: the next batch of matching seqs of one endpoint (oldest first would need a second
 * ordering; newest first is as good, since each call starts again from what is left) up to `untilSeq`.
 * Confirmed like a page; non-matching candidates are skipped by moving the window below them.
 */
export function matchingSeqs(input: SearchInput, untilSeq: number): (limit: number) => Promise<number[]> {
  const masked = isMasked(input);
  let planned: Promise<Scoped> | undefined;
  // Candidates that did not match stay in the table: the window moves past them so no batch reads them twice.
  let below = untilSeq + 1;
  return async (limit) => {
    planned ??= scopeWhere(input, masked);
    const scoped = await planned;
    const { exact } = scoped;
    const budget = { bytes: Number.POSITIVE_INFINITY };
    for (;;) {
      const rows = await candidates(input, scoped, below, limit);
      if (rows.length === 0) return [];
      const verdicts = exact && !masked ? rows.map(() => true) : await confirmBatch(input, rows, false, budget);
      const seqs = rows.filter((_, i) => verdicts[i]).map((r) => r.seq);
      below = rows.at(-1)!.seq;
      if (seqs.length > 0) return seqs;
    }
  };
}

/**
 * Whether some of these endpoints' captures still lack their projection row. Below: the backfill
 * (lib/capture/write/search-backfill.ts) fills from the newest down, so what it has not reached lies below the
 * lowest projected seq. Above (SQLite): captures the write worker committed without their projection while
 * groups waited (lib/capture/write/search-tail.ts) are every seq above the highest projected one, until it
 * catches up between commits. Index seeks only (the primary key's minimum and maximum, then each endpoint's
 * (endpointId, seq) index below or above them). The rows found this way are confirmed from their bytes, so a
 * capture is found by a search as soon as it is acknowledged.
 */
export async function indexingPending(endpointIds: readonly string[]): Promise<boolean | "tail"> {
  if (endpointIds.length === 0) return false;
  const inList: Frag = endpointIds.flatMap((id, i) => (i ? [", ", param(id)] : [param(id)]));
  const below = sql`SELECT 1 AS "one" FROM "Capture" c WHERE c."endpointId" IN (${inList})
      AND ((SELECT MIN(m."seq") FROM "CaptureSearch" m) IS NULL OR c."seq" < (SELECT MIN(m."seq") FROM "CaptureSearch" m)) LIMIT 1`;
  const above = sql`SELECT 1 AS "one" FROM "Capture" c WHERE c."endpointId" IN (${inList})
      AND c."seq" > (SELECT MAX(m."seq") FROM "CaptureSearch" m) LIMIT 1`;
  const found = async (query: Frag) => {
    const { text, params } = render(query, dbProvider());
    return (await db().$queryRawUnsafe<unknown[]>(text, ...params)).length > 0;
  };
  if (await found(below)) return true;
  return dbProvider() === "sqlite" && (await found(above)) ? "tail" : false;
}
