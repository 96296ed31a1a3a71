// The HQL syntax tree (docs/hql.md). Versioned: a stored tree (saved views keep the query text,
// not the tree, but jobs and caches may keep trees) says which shape it has. Pure: no Node or
// browser APIs, shared by the server (SQL and in-memory evaluation) and the dashboard.

export const HQL_VERSION = 1;

/** Offsets into the query text, [start, end), for errors and highlighting. */
export interface Span {
  start: number;
  end: number;
}

/** Scalar fields: one value per capture. */
export type ScalarField =
  | "method"
  | "path"
  | "body"
  | "status"
  | "size"
  | "type"
  | "received"
  | "ip"
  | "rejected"
  | "sig"
  | "provider"
  | "event"
  | "delivery"
  | "endpoint";

/** One step of a `json.` path: `.name`, `[n]`, or `[]` (any element). */
export type JsonStep = { key: string } | { index: number } | { any: true };

export type FieldRef =
  | { name: ScalarField }
  /** `query.<name>`, `form.<name>`: names as written (case-sensitive); `header.<name>`: lower-cased. */
  | { name: "query" | "header" | "form"; key: string }
  | { name: "json"; path: JsonStep[] };

/**
 * A value to compare with. Strings match case-insensitively, the whole value unless the field is
 * a substring field (`body`, bare text); `glob` = the text holds `*` wildcards (any run of characters).
 */
export type Value =
  | { kind: "string"; text: string; glob: boolean }
  /** Written as a number (also matches a string field holding that text, and a JSON number equal to it). */
  | { kind: "number"; n: number; text: string }
  | { kind: "boolean"; b: boolean }
  | { kind: "null" };

/**
 * A numeric interval (status, size, received as epoch ms, json numbers). Missing bound = open.
 * `>n` → { min: n, minInclusive: false }; `a..b` → both inclusive; `5xx` → 500..599;
 * relative times are resolved against the `now` given to the parser.
 */
export interface Interval {
  min?: number;
  minInclusive?: boolean;
  max?: number;
  maxInclusive?: boolean;
}

export type Predicate =
  /** `field:value` or `field:[a,b]`: any of the values. */
  | { op: "eq"; values: Value[] }
  | { op: "range"; interval: Interval }
  /** `ip:` address or CIDR, normalised (e.g. "203.0.113.0/24", "2001:db8::/32", "10.0.0.1/32"). */
  | { op: "cidr"; cidr: string };

export type Node =
  | { kind: "and"; children: Node[]; span: Span }
  | { kind: "or"; children: Node[]; span: Span }
  | { kind: "not"; child: Node; span: Span }
  /** A bare word or "quoted phrase": case-insensitive substring of path, query, header lines, body text. */
  | { kind: "text"; text: string; span: Span }
  | { kind: "field"; field: FieldRef; predicate: Predicate; span: Span }
  | { kind: "has"; field: FieldRef; span: Span };

/** A parsed query. `root` null = the empty query (matches everything). */
export interface Query {
  version: typeof HQL_VERSION;
  source: string;
  root: Node | null;
}
