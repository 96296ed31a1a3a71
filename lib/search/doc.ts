// What HQL evaluates against: one capture as the search sees it (docs/hql.md). The in-memory
// evaluator (lib/search/hql/evaluate.ts) reads exactly these fields; the search projection
// (CaptureSearch rows) is built from the same document, so SQL and memory see the same text.
// Pure: shared by the server and the dashboard.

/** Body text (decoded, content-encoding undone) kept for search, at most, in UTF-16 code units. */
export const SEARCH_BODY_TEXT_MAX = 64 * 1024;

export type BodyType = "json" | "form" | "multipart" | "xml" | "text" | "binary" | "empty";

export type SignatureState = "valid" | "invalid" | "stale" | "unknown";

export interface SearchDoc {
  /** Upper-case. */
  method: string;
  /** After the token, still percent-encoded ("" or "/a/b"). */
  path: string;
  /** Raw query string without "?". */
  query: string;
  /** Wire order, case and duplicates kept. */
  headers: readonly (readonly [string, string])[];
  /** The body as text (decoded, bounded by SEARCH_BODY_TEXT_MAX); "" when empty or binary. */
  bodyText: string;
  bodyType: BodyType;
  /** The parsed JSON body (bodyType "json", within the bound); undefined otherwise. */
  json?: unknown;
  /** Fields of a urlencoded or multipart body (file parts: their field name, value = file name). */
  form?: readonly (readonly [string, string])[];
  /** What Hookscope answered. */
  status: number;
  /** Stored body bytes. */
  size: number;
  /** Epoch milliseconds. */
  receivedAt: number;
  ip: string;
  /** null when stored in full; otherwise the refusal reason. */
  rejected: string | null;
  sig: SignatureState;
  provider: string | null;
  event: string | null;
  delivery: string | null;
  endpointId: string;
  endpointAlias?: string | null;
}
