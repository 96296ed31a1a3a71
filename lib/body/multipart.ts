// multipart/form-data (and other multipart/*) bodies split into parts by the boundary from the
// content type. A pure function over the exact bytes: every part's body is a subarray of the input,
// so a file part downloads byte-exact. Tolerant of what real senders get wrong: LF instead of CRLF,
// a preamble, transport padding after the boundary, a missing closing delimiter, a header block
// without its blank line. Never throws; parsing stops after `maxParts` parts (and says so).
import { asciiBytes, indexOfBytes, startsWithAt } from "./bytes";
import { decodeExtValue, parseHeaderValue } from "./header-params";

export interface MultipartPart {
  index: number;
  /** Header lines in order, decoded as UTF-8 (invalid bytes become U+FFFD). */
  headers: [name: string, value: string][];
  /** The form field name from Content-Disposition, if any. */
  name: string | null;
  /** The sender's file name, for display only. */
  filename: string | null;
  /** A filename (or filename*) parameter was present: a file upload, not a text field. */
  isFile: boolean;
  contentType: string | null;
  /** Offsets of the part's body within the whole body: body = bytes.subarray(start, end). */
  start: number;
  end: number;
  body: Uint8Array;
}

export interface MultipartResult {
  parts: MultipartPart[];
  /** The closing delimiter (`--boundary--`) was found. */
  closed: boolean;
  /** More parts than `maxParts` followed; they are not listed. */
  truncated: boolean;
  warnings: string[];
}

export const MULTIPART_LIMITS = { maxParts: 1000, maxHeaderBytes: 16 * 1024 };

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

/** The boundary parameter of a multipart content type, or null. Quoted boundaries are unquoted. */
export function multipartBoundary(contentType: string | null | undefined): string | null {
  const { value, params } = parseHeaderValue(contentType);
  if (!value.startsWith("multipart/")) return null;
  const b = params.get("boundary");
  if (!b || b.length > 200) return null;
  return b;
}

/** Length of the delimiter's line ending (0 at end of input), or -1 if `pos` is not a delimiter. */
function delimiterTail(bytes: Uint8Array, pos: number): { close: boolean; next: number } | null {
  let p = pos;
  if (bytes[p] === DASH && bytes[p + 1] === DASH) return { close: true, next: p + 2 };
  while (p < bytes.length && (bytes[p] === 0x20 || bytes[p] === 0x09)) p++;
  if (p >= bytes.length) return { close: false, next: p };
  if (bytes[p] === CR && bytes[p + 1] === LF) return { close: false, next: p + 2 };
  if (bytes[p] === LF) return { close: false, next: p + 1 };
  return null;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function parsePartHeaders(lines: Uint8Array[]): [string, string][] {
  const headers: [string, string][] = [];
  for (const raw of lines) {
    const line = utf8.decode(raw);
    if ((line.startsWith(" ") || line.startsWith("\t")) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon < 0) headers.push([line.trim(), ""]);
    else headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

export function parseMultipart(bytes: Uint8Array, boundary: string, limits = MULTIPART_LIMITS): MultipartResult {
  const result: MultipartResult = { parts: [], closed: false, truncated: false, warnings: [] };
  const dash = asciiBytes(`--${boundary}`);
  const lfDash = asciiBytes(`\n--${boundary}`);

  // Find the first delimiter: at the very start, or at the start of a line after a preamble.
  let pos = -1;
  if (startsWithAt(bytes, dash, 0) && delimiterTail(bytes, dash.length)) pos = 0;
  else {
    let from = 0;
    for (;;) {
      const idx = indexOfBytes(bytes, lfDash, from);
      if (idx < 0) break;
      if (delimiterTail(bytes, idx + lfDash.length)) {
        pos = idx + 1;
        break;
      }
      from = idx + 1;
    }
  }
  if (pos < 0) {
    result.warnings.push("The boundary from the content type does not occur in the body.");
    return result;
  }

  for (;;) {
    const tail = delimiterTail(bytes, pos + dash.length)!;
    if (tail.close) {
      result.closed = true;
      break;
    }
    if (tail.next >= bytes.length) break; // a delimiter at the very end, without its closing dashes
    if (result.parts.length >= limits.maxParts) {
      result.truncated = true;
      break;
    }

    // Header lines up to the blank line (CRLF or bare LF). A delimiter line ends them too.
    let p = tail.next;
    const lines: Uint8Array[] = [];
    let headerBytes = 0;
    let bodyStart = -1;
    while (p < bytes.length) {
      let eol = bytes.indexOf(LF, p);
      if (eol < 0) eol = bytes.length;
      const lineEnd = eol > p && bytes[eol - 1] === CR ? eol - 1 : eol;
      if (lineEnd === p) {
        bodyStart = Math.min(eol + 1, bytes.length);
        break;
      }
      if (startsWithAt(bytes, dash, p) && delimiterTail(bytes, p + dash.length)) {
        result.warnings.push(`Part ${result.parts.length + 1}: no blank line after its headers.`);
        bodyStart = p;
        break;
      }
      headerBytes += eol - p;
      if (headerBytes > limits.maxHeaderBytes) {
        result.warnings.push(
          `Part ${result.parts.length + 1}: header block over ${limits.maxHeaderBytes} bytes; the rest is treated as body.`,
        );
        bodyStart = p;
        break;
      }
      lines.push(bytes.subarray(p, lineEnd));
      p = eol + 1;
    }
    if (bodyStart < 0) bodyStart = bytes.length;

    // The body runs to the line break before the next delimiter.
    let next = -1;
    let from = Math.max(bodyStart - 1, 0);
    for (;;) {
      const idx = indexOfBytes(bytes, lfDash, from);
      if (idx < 0) break;
      if (delimiterTail(bytes, idx + lfDash.length)) {
        next = idx;
        break;
      }
      from = idx + 1;
    }
    let end: number;
    if (next < 0) {
      end = bytes.length;
      result.warnings.push("The closing boundary is missing; the last part runs to the end of the body.");
    } else {
      end = next > 0 && bytes[next - 1] === CR ? next - 1 : next;
    }
    if (end < bodyStart) end = bodyStart;

    const headers = parsePartHeaders(lines);
    const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
    const disposition = parseHeaderValue(header("content-disposition"));
    const ext = disposition.params.get("filename*");
    const filename = (ext !== undefined ? decodeExtValue(ext) : null) ?? disposition.params.get("filename") ?? null;
    result.parts.push({
      index: result.parts.length,
      headers,
      name: disposition.params.get("name") ?? null,
      filename,
      isFile: disposition.params.has("filename") || disposition.params.has("filename*"),
      contentType: header("content-type"),
      start: bodyStart,
      end,
      body: bytes.subarray(bodyStart, end),
    });
    if (next < 0) break;
    pos = next + 1;
  }
  if (result.truncated) result.warnings.push(`Only the first ${limits.maxParts} parts are shown.`);
  return result;
}
