// The `q` of the capture routes as an HQL query: parsed once per request (relative times against the
// request's clock), a malformed one a 422 `invalid_query` carrying where and what (position, end,
// expected, suggestions). The list's older `method` and `path` params still work: they are ANDed in as
// `method:` and a path substring (`path:*…*`), as they filtered before.
import { AppError } from "../errors";
import type { Node, Query } from "./hql/ast";
import { HqlError } from "./hql/errors";
import { parse } from "./hql/parser";

export interface SearchParams {
  q?: string;
  method?: string;
  path?: string;
}

const SPAN = { start: 0, end: 0 };

export function parseSearchQuery(params: SearchParams, now = Date.now()): Query {
  const source = params.q?.trim() ?? "";
  let query: Query;
  try {
    query = parse(source, { now });
  } catch (err) {
    if (err instanceof HqlError) {
      throw new AppError("invalid_query", err.message, undefined, {
        position: err.position,
        end: err.end,
        expected: err.expected,
        suggestions: err.suggestions,
      });
    }
    throw err;
  }
  const extra: Node[] = [];
  if (params.method) {
    extra.push({
      kind: "field",
      field: { name: "method" },
      predicate: { op: "eq", values: [{ kind: "string", text: params.method, glob: false }] },
      span: SPAN,
    });
  }
  if (params.path) {
    // A substring, as the path filter always was; its own stars are taken literally by nothing, so they glob too.
    extra.push({
      kind: "field",
      field: { name: "path" },
      predicate: { op: "eq", values: [{ kind: "string", text: `*${params.path}*`, glob: true }] },
      span: SPAN,
    });
  }
  if (extra.length === 0) return query;
  const children = query.root ? [query.root, ...extra] : extra;
  return { ...query, root: children.length === 1 ? children[0]! : { kind: "and", children, span: SPAN } };
}

/** Whether the query filters at all (the unfiltered list keeps its one-statement page). */
export const isFiltering = (q: Query) => q.root !== null;
