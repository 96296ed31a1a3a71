// The shapes of the replay diffs (diff.ts, json-diff.ts, text-diff.ts) and their bounds.

export const DIFF_LIMITS = {
  /** Deeper JSON is diffed as text. */
  maxJsonDepth: 256,
  /** Changes (or text lines) listed before `truncated` is set. */
  maxChanges: 1000,
  /** Line pairs the text diff may compare (after the common head and tail are set aside). */
  maxLineCells: 4_000_000,
  /** Unchanged lines shown around each change. */
  context: 3,
};

export type PathSegment = string | number;

export interface JsonChange {
  /** JSONPath-style: `$`, `$.data.amount`, `$.items[2]`, `$["odd key"]`. */
  path: string;
  segments: PathSegment[];
  /** "moved": an array item found at another index (before/after are the indexes). */
  kind: "added" | "removed" | "changed" | "moved";
  before?: unknown;
  after?: unknown;
}

export type TextLine =
  | { kind: "same" | "added" | "removed"; text: string; before?: number; after?: number }
  | { kind: "skipped"; count: number };

export interface BodySide {
  size: number;
  sha256: string;
}

export type BodyDiff =
  | { mode: "json"; equal: boolean; changes: JsonChange[]; truncated: boolean }
  | { mode: "text"; equal: boolean; lines: TextLine[]; truncated: boolean }
  | { mode: "binary"; equal: boolean; before: BodySide; after: BodySide };

export interface HeaderChange {
  /** As spelled on the newer side (the older one when removed). */
  name: string;
  kind: "added" | "removed" | "changed";
  /** Every value of that name, in order. */
  before?: string[];
  after?: string[];
}
