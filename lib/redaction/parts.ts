// Header lists and query strings masked together: one call for a capture's (or a page's) headers
// and queries, so their regex work can be estimated as a whole and, when large, done in a
// redaction worker (regex-pool.ts redactPartsOffThread) like a large body. Pure: the worker runs it too.
import type { HeaderPairs } from "@/lib/model/capture";
import { REDACTION_BUDGET, regexWork, type RedactionBudget } from "./budget";
import { compileRules } from "./compile";
import { headersWithheld, queryWithheld, redactHeaders, redactQuery, type HeaderMaskEntry, type QueryMaskEntry } from "./mask";
import type { RedactionRule } from "./rules";

export interface PartsInput {
  headers: readonly HeaderPairs[];
  /** Raw query strings, with or without their leading `?`. */
  queries: readonly string[];
  /** Mask for header values (see RedactOptions.headerMask). */
  headerMask?: string;
}

export interface MaskedHeaders {
  pairs: HeaderPairs;
  masked: HeaderMaskEntry[];
}

export interface MaskedQuery {
  query: string;
  masked: QueryMaskEntry[];
}

export interface MaskedParts {
  headers: MaskedHeaders[];
  queries: MaskedQuery[];
}

/** Characters the regexes would scan: every header value and query, in all. */
export function partsChars(input: PartsInput): number {
  let n = 0;
  for (const pairs of input.headers) for (const [, value] of pairs) n += value.length;
  for (const q of input.queries) n += q.length;
  return n;
}

/** The rules' regex work over these parts would not be small (budget.ts inlineWork): it belongs in a worker. */
export function needsPartsWorker(input: PartsInput, rules: readonly RedactionRule[]): boolean {
  const c = compileRules(rules);
  if (c.regexes.length === 0 || c.failClosed !== null) return false;
  return regexWork(partsChars(input), c.regexes) > REDACTION_BUDGET.inlineWork;
}

/**
 * Masks every header list and query on the calling thread. With `budget`, all share it (the
 * worker's: past it the rest fail closed); without, each gets its own default budget.
 */
export function redactParts(input: PartsInput, rules: readonly RedactionRule[], budget?: RedactionBudget): MaskedParts {
  const options = { ...(input.headerMask === undefined ? {} : { headerMask: input.headerMask }), ...(budget ? { budget } : {}) };
  return {
    headers: input.headers.map((pairs) => redactHeaders(pairs, rules, options)),
    queries: input.queries.map((q) => redactQuery(q, rules, budget)),
  };
}

/** The parts failing closed: every header value and every query masked whole. */
export function partsWithheld(input: PartsInput): MaskedParts {
  return {
    headers: input.headers.map((pairs) => headersWithheld(pairs, input.headerMask)),
    queries: input.queries.map((q) => queryWithheld(q)),
  };
}
