// The JSONPath subset redaction rules accept, parsed by hand so nothing is ever evaluated:
//   $.a.b   $.a[0].b   $.a[*].b   $.a.*   $..email   $..[0]   $["odd key"]   $['k']
// `..` is recursive descent (the selector applies at any depth below). Filters, slices, unions,
// negative indexes and script expressions are not supported and are rejected.

export type PathSelector = { type: "name"; name: string } | { type: "index"; index: number } | { type: "any" };

export interface PathSegment {
  /** Preceded by `..`: matches at this level or any level below it. */
  descend: boolean;
  selector: PathSelector;
}

export const JSON_PATH_LIMITS = { maxLength: 500, maxSegments: 64, maxIndex: 1_000_000_000 };

export type ParsePathResult = { ok: true; segments: PathSegment[] } | { ok: false; error: string };

// Unquoted member names: anything that is not syntax or whitespace (so `$.x-request-id`, `$.é` work).
const NAME_STOP = new Set([".", "[", "]", "'", '"', "*", " ", "\t", "\n", "\r", "(", ")", "?", "@", ",", ":", "\\"]);

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "'": "'", "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function readQuoted(src: string, start: number): { value: string; end: number } | null {
  const quote = src[start];
  let out = "";
  let i = start + 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === quote) return { value: out, end: i + 1 };
    if (c === "\\") {
      const e = src[i + 1];
      if (e === undefined) return null;
      if (e === "u") {
        const hex = src.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e];
      if (simple === undefined) return null;
      out += simple;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return null;
}

/** Parses a path of the supported subset. Never throws. */
export function parseJsonPath(src: string): ParsePathResult {
  if (src.length > JSON_PATH_LIMITS.maxLength) return { ok: false, error: `longer than ${JSON_PATH_LIMITS.maxLength} characters` };
  if (src[0] !== "$") return { ok: false, error: "must start with $" };
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < src.length) {
    let descend = false;
    const c = src[i];
    if (c === ".") {
      if (src[i + 1] === ".") {
        descend = true;
        i += 2;
      } else {
        i += 1;
      }
      const d = src[i];
      if (d === "*") {
        segments.push({ descend, selector: { type: "any" } });
        i++;
        continue;
      }
      if (d === "[" && descend) {
        // `$..[0]`, `$..["k"]`: fall through to the bracket form below.
      } else {
        let j = i;
        while (j < src.length && !NAME_STOP.has(src[j] as string)) j++;
        if (j === i) return { ok: false, error: `expected a member name at ${i}` };
        segments.push({ descend, selector: { type: "name", name: src.slice(i, j) } });
        i = j;
        continue;
      }
    } else if (c !== "[") {
      return { ok: false, error: `unexpected "${c}" at ${i}` };
    }
    // Bracket selector at src[i] === "[".
    const b = src[i + 1];
    if (b === "*" && src[i + 2] === "]") {
      segments.push({ descend, selector: { type: "any" } });
      i += 3;
    } else if (b === '"' || b === "'") {
      const q = readQuoted(src, i + 1);
      if (!q || src[q.end] !== "]") return { ok: false, error: `bad quoted name at ${i}` };
      segments.push({ descend, selector: { type: "name", name: q.value } });
      i = q.end + 1;
    } else {
      const m = /^\[(0|[1-9][0-9]{0,9})\]/.exec(src.slice(i, i + 13));
      if (!m || m[1] === undefined) return { ok: false, error: `expected [index], [*] or ["name"] at ${i}` };
      const index = Number(m[1]);
      if (index > JSON_PATH_LIMITS.maxIndex) return { ok: false, error: `index too large at ${i}` };
      segments.push({ descend, selector: { type: "index", index } });
      i += m[0].length;
    }
    if (segments.length > JSON_PATH_LIMITS.maxSegments) return { ok: false, error: `more than ${JSON_PATH_LIMITS.maxSegments} segments` };
  }
  if (segments.length > JSON_PATH_LIMITS.maxSegments) return { ok: false, error: `more than ${JSON_PATH_LIMITS.maxSegments} segments` };
  return { ok: true, segments };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A concrete location such as `$.users[0]["odd key"]`, for the UI's masked badges. */
export function formatJsonLocation(keys: readonly (string | number)[], elided = false): string {
  let out = "$";
  if (elided) out += "[…]";
  for (const k of keys) {
    if (typeof k === "number") out += `[${k}]`;
    else if (IDENT.test(k)) out += `.${k}`;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}
