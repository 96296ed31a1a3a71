// "Copy as" generators: re-send a captured request with curl, fetch (JS) or HTTPie, byte-exact.
// Pure functions (tested in tests/unit/copy-as.test.ts).
//
// - Method, headers (wire order, duplicates, original case) and body are kept; hop-by-hop headers
//   (Host, Content-Length, Connection, Transfer-Encoding, Keep-Alive) are left to the client.
// - The URL is a placeholder: the shell commands use "$TARGET_URL" when it is set and the original
//   capture URL (with path and query) otherwise; the fetch snippet starts with `const TARGET_URL`.
// - A body that is valid UTF-8 without control characters (tab and LF allowed) and not too big is
//   inlined, single-quoted for the shell ('\'' for a quote). Anything else is read from the raw body
//   file (`--data-binary @<id>.bin` for curl, `< <id>.bin` for HTTPie; the UI offers that download),
//   and fetch decodes it from base64.
// - Header values are stored as latin1 (one character per wire byte). For the shell they are turned
//   back into the exact bytes: UTF-8 text when the bytes are UTF-8, else bash $'\xNN' quoting.
// - Headers the tools add by themselves (curl: User-Agent, Accept, a form Content-Type; HTTPie: the
//   same plus Accept-Encoding) are switched off when the capture did not have them.
import type { HeaderPairs } from "@/lib/model/capture";

export interface CopyAsRequest {
  id: string;
  method: string;
  /** The original capture URL with path and query: the default target. */
  url: string;
  headers: HeaderPairs;
  /** The exact body bytes (empty when there was none). */
  body: Uint8Array;
  /** The name of the body download the shell commands read a non-inlinable body from (default `<id>.bin`). */
  bodyFile?: string;
}

export type CopyAsFormat = "curl" | "fetch" | "httpie";

export const HOP_BY_HOP = new Set(["host", "content-length", "connection", "transfer-encoding", "keep-alive"]);
/** Bodies above this are never inlined into a shell command (the file is used). */
export const INLINE_BODY_LIMIT = 64 * 1024;

/** The file name the shell commands read a non-inlinable body from (the raw body download's name). */
export const bodyFileName = (id: string) => `${id}.bin`;

// ---------------------------------------------------------------------------------------------
// Bytes and text

export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** C0 controls other than tab and LF, DEL, and C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds control characters (they make the body travel as bytes)
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The body as inlinable text, or null when it must travel as bytes (file / base64). */
export function inlineText(body: Uint8Array, limit = INLINE_BODY_LIMIT): string | null {
  if (body.length > limit) return null;
  const text = utf8OrNull(body);
  if (text === null || CONTROL.test(text)) return null;
  // A leading BOM would be invisible in the command; keep such bodies exact via the file.
  if (text.charCodeAt(0) === 0xfeff) return null;
  return text;
}

export function base64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

// ---------------------------------------------------------------------------------------------
// Shell quoting

/** POSIX single quotes: everything literal, ' written as '\''. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** bash ANSI-C quoting of exact bytes: printable ASCII literal, everything else \xNN. */
export function ansiCQuote(bytes: Uint8Array): string {
  let out = "$'";
  for (const b of bytes) {
    if (b === 0x27) out += "\\'";
    else if (b === 0x5c) out += "\\\\";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `${out}'`;
}

/** Quotes a header-ish string (latin1, one char per byte) so the shell passes the exact bytes. */
export function shellQuoteWire(latin1: string): string {
  const bytes = latin1Bytes(latin1);
  const text = utf8OrNull(bytes);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters need ANSI-C quoting to reach the shell as the exact bytes
  if (text !== null && !/[\u0000-\u001f\u007f-\u009f]/.test(text)) return shellQuote(text);
  return ansiCQuote(bytes);
}

/** `"${TARGET_URL:-<url>}"`, exact for any URL (printf fallback when it has shell-special characters). */
export function shellTargetUrl(url: string): string {
  if (/^[A-Za-z0-9\-._~:/?#[\]@&()*+,;=%]*$/.test(url)) return `"\${TARGET_URL:-${url}}"`;
  return `"\${TARGET_URL:-$(printf %s ${shellQuote(url)})}"`;
}

function isPlainToken(s: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(s);
}

// ---------------------------------------------------------------------------------------------
// Shared request shape

interface Prepared {
  method: string;
  headers: HeaderPairs;
  has: (name: string) => boolean;
  body: Uint8Array;
  /** The sender declared a body (Content-Length or Transfer-Encoding), even an empty one. */
  declaredBody: boolean;
}

function prepare(req: CopyAsRequest): Prepared {
  const names = new Set(req.headers.map(([n]) => n.toLowerCase()));
  return {
    method: req.method,
    headers: req.headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase())),
    has: (name) => names.has(name.toLowerCase()),
    body: req.body,
    declaredBody: names.has("content-length") || names.has("transfer-encoding"),
  };
}

const CONT = " \\\n  ";

// ---------------------------------------------------------------------------------------------
// curl

export function toCurl(req: CopyAsRequest): string {
  const p = prepare(req);
  const args: string[] = [];
  const head = p.method === "HEAD";
  const sendBody = !head && (p.body.length > 0 || (p.declaredBody && p.method !== "GET"));
  if (head) args.push("--head");
  else if (p.method !== "GET" || sendBody) args.push(`-X ${isPlainToken(p.method) ? p.method : shellQuote(p.method)}`);
  args.push(shellTargetUrl(req.url));
  if (/[[\]{}]/.test(req.url)) args.push("--globoff");
  if (/\/\.\.?(\/|$|\?)/.test(req.url)) args.push("--path-as-is");
  for (const [name, value] of p.headers) {
    // `-H 'Name:'` would remove the header; `Name;` sends it empty.
    args.push(`-H ${value === "" ? shellQuoteWire(`${name};`) : shellQuoteWire(`${name}: ${value}`)}`);
  }
  if (!p.has("user-agent")) args.push(`-H 'User-Agent:'`);
  if (!p.has("accept")) args.push(`-H 'Accept:'`);
  if (sendBody) {
    if (!p.has("content-type")) args.push(`-H 'Content-Type:'`);
    if (!p.has("expect") && p.body.length > 1024 * 1024) args.push(`-H 'Expect:'`);
    const text = inlineText(p.body);
    args.push(text !== null ? `--data-binary ${shellQuote(text)}` : `--data-binary @${req.bodyFile ?? bodyFileName(req.id)}`);
  }
  return `curl ${args.join(CONT)}`;
}

// ---------------------------------------------------------------------------------------------
// HTTPie

export function toHttpie(req: CopyAsRequest): string {
  const p = prepare(req);
  const sendBody = p.method !== "HEAD" && (p.body.length > 0 || (p.declaredBody && p.method !== "GET"));
  const text = sendBody ? inlineText(p.body) : null;
  const fromFile = sendBody && text === null;
  const method = isPlainToken(p.method) ? p.method : shellQuote(p.method);
  const args: string[] = [fromFile ? method : `--ignore-stdin ${method}`, shellTargetUrl(req.url)];
  // HTTPie items: `Name:value`, `Name;` for an empty value, `Name:` removes a default header.
  for (const [name, value] of p.headers) args.push(value === "" ? shellQuoteWire(`${name};`) : shellQuoteWire(`${name}:${value}`));
  if (!p.has("user-agent")) args.push(`'User-Agent:'`);
  if (!p.has("accept")) args.push(`'Accept:'`);
  if (!p.has("accept-encoding")) args.push(`'Accept-Encoding:'`);
  if (sendBody && !p.has("content-type")) args.push(`'Content-Type:'`);
  if (sendBody && text !== null) args.push(`--raw ${shellQuote(text)}`);
  if (fromFile) args.push(`< ${req.bodyFile ?? bodyFileName(req.id)}`);
  return `http ${args.join(CONT)}`;
}

// ---------------------------------------------------------------------------------------------
// fetch

/** A JS string literal; non-ASCII kept readable except in `asBytes` mode (\xNN, for header ByteStrings). */
function jsString(s: string, asBytes = false): string {
  let out = JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  if (asBytes) out = out.replace(/[\u0080-\u00ff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return out;
}

/** Headers fetch() refuses outright (undici throws); listed in a comment instead. */
const FETCH_REFUSED = new Set(["expect", "upgrade"]);

export function toFetch(req: CopyAsRequest): string {
  const p = prepare(req);
  const noBodyMethod = p.method === "GET" || p.method === "HEAD";
  const sendBody = !noBodyMethod && (p.body.length > 0 || p.declaredBody);
  const lines: string[] = [];
  lines.push(`const TARGET_URL = ${jsString(req.url)}; // change to re-send elsewhere`);
  const text = sendBody ? inlineText(p.body, Infinity) : null;
  let bodyExpr: string | null = null;
  if (sendBody) {
    if (text !== null) {
      // A string body makes fetch add "Content-Type: text/plain" when the capture had none.
      bodyExpr = p.has("content-type") ? jsString(text) : `new TextEncoder().encode(${jsString(text)})`;
    } else {
      lines.push(`const body = Uint8Array.from(atob(${jsString(base64(p.body))}), (c) => c.charCodeAt(0)); // ${p.body.length} bytes`);
      bodyExpr = "body";
    }
  }
  if (noBodyMethod && p.body.length > 0)
    lines.push(`// fetch cannot send a body with ${p.method}; the captured ${p.body.length}-byte body is left out.`);
  const refused = p.headers.filter(([n]) => FETCH_REFUSED.has(n.toLowerCase()));
  if (refused.length) lines.push(`// fetch refuses these captured headers: ${refused.map(([n]) => n).join(", ")}`);
  lines.push("// Browsers drop forbidden headers (Cookie, Origin, Accept-Encoding…); Node 18+ sends them.");
  lines.push("const res = await fetch(TARGET_URL, {");
  lines.push(`  method: ${jsString(p.method)},`);
  const headers = p.headers.filter(([n]) => !FETCH_REFUSED.has(n.toLowerCase()));
  if (headers.length) {
    lines.push("  headers: [");
    for (const [name, value] of headers) lines.push(`    [${jsString(name, true)}, ${jsString(value, true)}],`);
    lines.push("  ],");
  }
  if (bodyExpr !== null) lines.push(`  body: ${bodyExpr},`);
  lines.push("});");
  lines.push("console.log(res.status, await res.text());");
  return lines.join("\n");
}

export function copyAs(format: CopyAsFormat, req: CopyAsRequest): string {
  return format === "curl" ? toCurl(req) : format === "httpie" ? toHttpie(req) : toFetch(req);
}

/** True when the shell commands read the body from the downloaded raw body file. */
export function needsBodyFile(req: CopyAsRequest): boolean {
  return req.method !== "HEAD" && req.body.length > 0 && inlineText(req.body) === null;
}
