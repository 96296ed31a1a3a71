// application/x-www-form-urlencoded bodies to name/value rows. Repeated keys keep their order; a
// bad percent escape is kept literally and flagged instead of failing the field; bytes that are not
// UTF-8 after decoding show as U+FFFD and are flagged too. Capped at `maxFields` rows.
export interface FormField {
  name: string;
  value: string;
  /** A bad escape or invalid UTF-8 somewhere in the name or value. */
  malformed: boolean;
}

export interface FormResult {
  fields: FormField[];
  /** Number of fields in the body (may exceed fields.length when capped). */
  total: number;
  truncated: boolean;
}

export const FORM_MAX_FIELDS = 1000;

const fatal = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8", { fatal: false });

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** `+` to space and %XX to bytes, then UTF-8; never throws. */
export function decodeFormComponent(raw: string): { text: string; ok: boolean } {
  if (!raw.includes("%") && !raw.includes("+")) return { text: raw, ok: true };
  let ok = true;
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    const arr = new Uint8Array(bytes);
    try {
      out += fatal.decode(arr);
    } catch {
      ok = false;
      out += lenient.decode(arr);
    }
    bytes = [];
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push(hi * 16 + lo);
        i += 2;
        continue;
      }
      ok = false;
    }
    flush();
    out += c === 0x2b /* + */ ? " " : raw[i];
  }
  flush();
  return { text: out, ok };
}

export function parseForm(text: string, maxFields = FORM_MAX_FIELDS): FormResult {
  const fields: FormField[] = [];
  let total = 0;
  let start = 0;
  while (start <= text.length) {
    let amp = text.indexOf("&", start);
    if (amp < 0) amp = text.length;
    const piece = text.slice(start, amp);
    start = amp + 1;
    if (piece === "" || piece === "\r\n" || piece === "\n") continue;
    total++;
    if (fields.length >= maxFields) continue;
    const eq = piece.indexOf("=");
    const name = decodeFormComponent(eq < 0 ? piece : piece.slice(0, eq));
    const value = decodeFormComponent(eq < 0 ? "" : piece.slice(eq + 1));
    fields.push({ name: name.text, value: value.text, malformed: !name.ok || !value.ok });
  }
  return { fields, total, truncated: total > fields.length };
}
