import { create, type Delta } from "jsondiffpatch";
import { DIFF_LIMITS, type JsonChange, type PathSegment } from "./diff-types";

// ---------------------------------------------------------------------------------------------
// JSON

const patcher = create({
  arrays: { detectMove: true, includeValueOnMove: false },
  objectHash: (item: object, index?: number) => {
    const id = (item as { id?: unknown; _id?: unknown }).id ?? (item as { _id?: unknown })._id;
    return typeof id === "string" || typeof id === "number" ? `id:${typeof id}:${id}` : `$$index:${index}`;
  },
  cloneDiffValues: false,
});

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(segments: PathSegment[]): string {
  let out = "$";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : IDENT.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  return out;
}

export function depthWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (d >= max) return false;
    for (const child of Object.values(v as object)) if (child !== null && typeof child === "object") stack.push([child, d + 1]);
  }
  return true;
}

const isArrayDelta = (d: object): boolean => (d as { _t?: unknown })._t === "a";

/** The value-level differences between two JSON values, key order ignored. */
export function diffJson(before: unknown, after: unknown, limit = DIFF_LIMITS.maxChanges): { changes: JsonChange[]; truncated: boolean } {
  const delta = patcher.diff(before, after);
  const changes: JsonChange[] = [];
  let truncated = false;
  const push = (segments: PathSegment[], change: Omit<JsonChange, "path" | "segments">) => {
    if (changes.length >= limit) {
      truncated = true;
      return;
    }
    changes.push({ path: formatPath(segments), segments, ...change });
  };
  const stack: [Delta, PathSegment[]][] = delta === undefined ? [] : [[delta, []]];
  while (stack.length) {
    const [d, at] = stack.pop() as [Delta, PathSegment[]];
    if (d === undefined) continue;
    if (Array.isArray(d)) {
      if (d.length === 1) push(at, { kind: "added", after: d[0] });
      else if (d.length === 2) push(at, { kind: "changed", before: d[0], after: d[1] });
      else if (d[2] === 0) push(at, { kind: "removed", before: d[0] });
      // [text, 0, 2] text deltas are off (no textDiff option); moves are handled by the parent.
      continue;
    }
    if (isArrayDelta(d)) {
      for (const [key, child] of Object.entries(d) as [string, Delta][]) {
        if (key === "_t") continue;
        if (key.startsWith("_")) {
          const from = Number(key.slice(1));
          const c = child as unknown[];
          if (c[2] === 3) push([...at, from], { kind: "moved", before: from, after: c[1] });
          else push([...at, from], { kind: "removed", before: c[0] });
        } else {
          stack.push([child, [...at, Number(key)]]);
        }
      }
      continue;
    }
    for (const [key, child] of Object.entries(d)) stack.push([child as Delta, [...at, key]]);
  }
  changes.sort((a, b) => comparePaths(a.segments, b.segments));
  return { changes, truncated };
}

function comparePaths(a: PathSegment[], b: PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as PathSegment;
    const y = b[i] as PathSegment;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}
