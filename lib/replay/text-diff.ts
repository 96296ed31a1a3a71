import { DIFF_LIMITS, type TextLine } from "./diff-types";

// ---------------------------------------------------------------------------------------------
// Text

/** A line diff, unchanged runs beyond `context` lines collapsed into "skipped". */
export function diffText(before: string, after: string, limit = DIFF_LIMITS.maxChanges): { lines: TextLine[]; truncated: boolean } {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  type Op = { kind: "same" | "added" | "removed"; text: string; before?: number; after?: number };
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: "same", text: a[i] as string, before: i + 1, after: i + 1 });
  for (const op of middleOps(midA, midB)) {
    const bi = op.i === undefined ? undefined : head + op.i + 1;
    const ai = op.j === undefined ? undefined : head + op.j + 1;
    ops.push({ kind: op.kind, text: op.text, ...(bi === undefined ? {} : { before: bi }), ...(ai === undefined ? {} : { after: ai }) });
  }
  for (let k = tail; k > 0; k--)
    ops.push({ kind: "same", text: a[a.length - k] as string, before: a.length - k + 1, after: b.length - k + 1 });

  // Keep changes and `context` lines around them.
  const keep = new Uint8Array(ops.length);
  ops.forEach((op, i) => {
    if (op.kind === "same") return;
    for (let k = Math.max(0, i - DIFF_LIMITS.context); k <= Math.min(ops.length - 1, i + DIFF_LIMITS.context); k++) keep[k] = 1;
  });
  const lines: TextLine[] = [];
  let truncated = false;
  let skipped = 0;
  for (let i = 0; i < ops.length; i++) {
    if (!keep[i]) {
      skipped++;
      continue;
    }
    if (skipped) lines.push({ kind: "skipped", count: skipped });
    skipped = 0;
    if (lines.length >= limit) {
      truncated = true;
      break;
    }
    lines.push(ops[i] as Op);
  }
  if (skipped && !truncated) lines.push({ kind: "skipped", count: skipped });
  return { lines, truncated };
}

type MidOp = { kind: "same" | "added" | "removed"; text: string; i?: number; j?: number };

/** LCS over the differing middle; too large a middle is shown as all removed then all added. */
function middleOps(a: string[], b: string[]): MidOp[] {
  const n = a.length;
  const m = b.length;
  if (n * m > DIFF_LIMITS.maxLineCells) {
    return [...a.map((text, i): MidOp => ({ kind: "removed", text, i })), ...b.map((text, j): MidOp => ({ kind: "added", text, j }))];
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        a[i] === b[j] ? (lcs[(i + 1) * w + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * w + j] as number, lcs[i * w + j + 1] as number);
    }
  }
  const out: MidOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i] as string, i, j });
      i++;
      j++;
    } else if (i < n && (j === m || (lcs[(i + 1) * w + j] as number) >= (lcs[i * w + j + 1] as number))) {
      // Removals first on a tie, as unified diffs show them.
      out.push({ kind: "removed", text: a[i] as string, i });
      i++;
    } else {
      out.push({ kind: "added", text: b[j] as string, j });
      j++;
    }
  }
  return out;
}
