// Parameters of structured header values (Content-Type, Content-Disposition): `type; a=b; c="q\"d"`.
// Tolerant: a parameter without `=` or an unterminated quote never throws, it is just read as far
// as it goes. Names are lower-cased; the first occurrence of a name wins.

export interface ParsedHeaderValue {
  /** The part before the first `;`, trimmed and lower-cased. */
  value: string;
  params: Map<string, string>;
}

export function parseHeaderValue(header: string | null | undefined): ParsedHeaderValue {
  const text = header ?? "";
  const params = new Map<string, string>();
  let i = text.indexOf(";");
  const value = (i < 0 ? text : text.slice(0, i)).trim().toLowerCase();
  if (i < 0) return { value, params };
  i++;
  while (i < text.length) {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === ";")) i++;
    const nameStart = i;
    while (i < text.length && text[i] !== "=" && text[i] !== ";") i++;
    const name = text.slice(nameStart, i).trim().toLowerCase();
    let val = "";
    if (text[i] === "=") {
      i++;
      while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
      if (text[i] === '"') {
        i++;
        let out = "";
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < text.length) i++;
          out += text[i];
          i++;
        }
        i++; // closing quote (or past the end)
        val = out;
        while (i < text.length && text[i] !== ";") i++;
      } else {
        const start = i;
        while (i < text.length && text[i] !== ";") i++;
        val = text.slice(start, i).trim();
      }
    }
    if (name && !params.has(name)) params.set(name, val);
  }
  return { value, params };
}

/** RFC 8187 ext-value (`UTF-8''%E2%82%AC.txt`), or null when it is not one we can decode. */
export function decodeExtValue(ext: string): string | null {
  const m = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(ext);
  if (!m) return null;
  const charset = m[1]!.toLowerCase();
  if (charset !== "utf-8" && charset !== "iso-8859-1") return null;
  const bytes: number[] = [];
  const raw = m[2]!;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "%" && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(raw.charCodeAt(i) & 0xff);
  }
  return new TextDecoder(charset === "utf-8" ? "utf-8" : "latin1").decode(new Uint8Array(bytes));
}
