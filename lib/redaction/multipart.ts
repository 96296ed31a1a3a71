// Finds the parts of a multipart body by its boundary, as byte offsets into the body, so a masker
// can replace one part's content and copy everything else. Lenient like real senders: LF or CRLF,
// a preamble, padding after a delimiter, no closing delimiter (the last part runs to the end).
// Parts after the first 1,000 are not listed (and so not masked by name; see mask.ts).

export interface PartSpan {
  /** Form field name from Content-Disposition, or null. */
  name: string | null;
  /** A filename (or filename*) parameter was present: a file upload, not a text field. */
  isFile: boolean;
  /** Body offsets within the whole multipart body: [start, end). */
  start: number;
  end: number;
}

export const MULTIPART_SCAN_LIMITS = { maxParts: 1000, maxHeaderBytes: 16 * 1024 };

const CR = 0x0d;
const LF = 0x0a;
const ascii = new TextEncoder();
const headerText = new TextDecoder("utf-8", { fatal: false });

/** The boundary parameter of a multipart content type, unquoted, or null. */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.){1,200})"|([^\s;]{1,200}))/i.exec(contentType);
  if (!m) return null;
  const b = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
  return b && b.length > 0 ? b : null;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] as number;
  let i = hay.indexOf(first, from);
  while (i >= 0 && i + needle.length <= hay.length) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
    i = hay.indexOf(first, i + 1);
  }
  return -1;
}

/** Finds `--boundary` at the start of a line at or after `from`; returns the offset of the dashes. */
function findDelimiter(b: Uint8Array, delim: Uint8Array, from: number): number {
  let i = indexOfBytes(b, delim, from);
  while (i >= 0) {
    if (i === 0 || b[i - 1] === LF) return i;
    i = indexOfBytes(b, delim, i + 1);
  }
  return -1;
}

function dispositionParams(value: string): { name: string | null; isFile: boolean } {
  let name: string | null = null;
  let isFile = false;
  const re = /;\s*([A-Za-z0-9_*.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const m of value.matchAll(re)) {
    const key = (m[1] ?? "").toLowerCase();
    const v = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "").trim();
    if (key === "name") name = v;
    if (key === "filename" || key === "filename*") isFile = true;
  }
  return { name, isFile };
}

export function findParts(b: Uint8Array, boundary: string): PartSpan[] {
  const delim = ascii.encode(`--${boundary}`);
  const parts: PartSpan[] = [];
  let d = findDelimiter(b, delim, 0);
  while (d >= 0 && parts.length < MULTIPART_SCAN_LIMITS.maxParts) {
    let p = d + delim.length;
    if (b[p] === 0x2d && b[p + 1] === 0x2d) break; // closing delimiter
    while (b[p] === 0x20 || b[p] === 0x09) p++;
    if (b[p] === CR && b[p + 1] === LF) p += 2;
    else if (b[p] === LF) p += 1;
    else {
      d = findDelimiter(b, delim, d + 1);
      continue;
    }
    // Header block: lines until an empty line.
    const headersStart = p;
    let bodyStart = -1;
    while (p < b.length && p - headersStart <= MULTIPART_SCAN_LIMITS.maxHeaderBytes) {
      const nl = b.indexOf(LF, p);
      if (nl < 0) break;
      const lineEnd = nl > p && b[nl - 1] === CR ? nl - 1 : nl;
      if (lineEnd === p) {
        bodyStart = nl + 1;
        break;
      }
      p = nl + 1;
    }
    const next = findDelimiter(b, delim, bodyStart >= 0 ? bodyStart : p);
    if (bodyStart < 0) {
      d = next;
      continue;
    }
    let end = next < 0 ? b.length : next;
    if (next >= 0) {
      // The line break before the delimiter belongs to the delimiter.
      if (end > bodyStart && b[end - 1] === LF) end--;
      if (end > bodyStart && b[end - 1] === CR) end--;
    }
    const headers = headerText.decode(b.subarray(headersStart, bodyStart));
    let name: string | null = null;
    let isFile = false;
    for (const line of headers.split(/\r?\n/)) {
      const m = /^content-disposition\s*:(.*)$/i.exec(line);
      if (m) ({ name, isFile } = dispositionParams(m[1] ?? ""));
    }
    parts.push({ name, isFile, start: bodyStart, end });
    d = next;
  }
  return parts;
}
