// JSON text to a tree for the collapsible view, built by an iterative scanner (no recursion, so a
// 100,000-deep body cannot overflow the stack). Tokens are kept as sent: numbers keep their digits
// (no precision lost on big integers), duplicate keys stay, in order. Strings are decoded for display.

export type JsonNode =
  | { kind: "object"; entries: { key: string; value: JsonNode }[] }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "string"; value: string }
  | { kind: "number"; raw: string }
  | { kind: "literal"; raw: string };

export type JsonTreeResult = { ok: true; root: JsonNode; nodes: number; depth: number } | { ok: false; reason: string };

export const JSON_TREE_LIMITS = { maxInputChars: 4 * 1024 * 1024, maxNodes: 1_000_000 };

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** End (exclusive) of the string token starting at the quote at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const k = text.indexOf('"', j);
    if (k < 0) return text.length;
    // Count the backslashes before the quote: an odd number escapes it.
    let bs = 0;
    for (let b = k - 1; b > i && text.charCodeAt(b) === 0x5c; b--) bs++;
    if (bs % 2 === 0) return k + 1;
    j = k + 1;
  }
}

function decodeString(token: string): string {
  if (!token.includes("\\")) return token.slice(1, -1);
  return JSON.parse(token) as string;
}

export function parseJsonTree(text: string, limits = JSON_TREE_LIMITS): JsonTreeResult {
  if (text.length > limits.maxInputChars) return { ok: false, reason: `larger than ${Math.round(limits.maxInputChars / 1048576)} MiB` };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    JSON.parse(body); // validity first; the scanner below then trusts the grammar
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${(err as Error).message})` };
  }
  type Frame = { node: Extract<JsonNode, { kind: "object" | "array" }>; key: string | null };
  const stack: Frame[] = [];
  let root: JsonNode | null = null;
  let pendingKey: string | null = null;
  let nodes = 0;
  let depth = 0;
  const attach = (value: JsonNode) => {
    nodes++;
    const top = stack[stack.length - 1];
    if (!top) root = value;
    else if (top.node.kind === "array") top.node.items.push(value);
    else {
      top.node.entries.push({ key: pendingKey ?? "", value });
      pendingKey = null;
    }
  };
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (isWs(c) || c === 0x2c /* , */ || c === 0x3a /* : */) continue;
    if (nodes > limits.maxNodes) return { ok: false, reason: `more than ${limits.maxNodes.toLocaleString("en-US")} values` };
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const node: Frame["node"] = c === 0x7b ? { kind: "object", entries: [] } : { kind: "array", items: [] };
      attach(node);
      stack.push({ node, key: null });
      if (stack.length > depth) depth = stack.length;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(body, i);
      const value = decodeString(body.slice(i, end));
      i = end - 1;
      const top = stack[stack.length - 1];
      if (top?.node.kind === "object" && pendingKey === null) pendingKey = value;
      else attach({ kind: "string", value });
    } else {
      let j = i;
      while (j < body.length) {
        const d = body.charCodeAt(j);
        if (isWs(d) || d === 0x2c || d === 0x7d || d === 0x5d) break;
        j++;
      }
      const raw = body.slice(i, j);
      attach(raw === "true" || raw === "false" || raw === "null" ? { kind: "literal", raw } : { kind: "number", raw });
      i = j - 1;
    }
  }
  return { ok: true, root: root!, nodes, depth };
}
