import { type DiagnoseContext, type Diagnosis, fixes, MAX_RESERIALIZE_BYTES, type Recheck } from "./diagnosis";

// ---------------------------------------------------------------------------------------------------------------
// body_reserialized

/**
 * Python's json.dumps defaults from compact JSON: ", " and ": " separators outside strings, non-ASCII escaped
 * (non-ASCII only occurs inside strings in valid JSON). One linear regex pass.
 */
function pythonDumps(compact: string): string {
  return compact
    .replace(/"(?:[^"\\]|\\.)*"|[,:]/g, (m) => (m === "," ? ", " : m === ":" ? ": " : m))
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function bodyReserialized(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const body = ctx.input.body;
  if (body.byteLength === 0 || body.byteLength > MAX_RESERIALIZE_BYTES) return null;
  const text = Buffer.from(body).toString("utf8");
  const first = /\S/.exec(text)?.[0];
  if (first !== "{" && first !== "[") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const compact = JSON.stringify(parsed);
  let pretty2: string | null = null;
  const pretty = () => (pretty2 ??= JSON.stringify(parsed, null, 2));
  const forms: [string, string, () => string][] = [
    ["compact", "compact JSON (no spaces, as JSON.stringify writes it)", () => compact],
    ["pretty-2", "pretty-printed JSON with 2-space indentation", pretty],
    ["pretty-2-newline", "pretty-printed JSON with 2-space indentation and a final newline", () => `${pretty()}\n`],
    ["pretty-4", "pretty-printed JSON with 4-space indentation", () => JSON.stringify(parsed, null, 4)],
    ["python", 'JSON with ", " and ": " separators and escaped non-ASCII (Python json.dumps)', () => pythonDumps(compact)],
    ["escaped-slashes", "compact JSON with escaped slashes \\/ (PHP json_encode)", () => compact.replace(/\//g, "\\/")],
  ];
  const seen = new Set<string>([text]);
  for (const [form, words, make] of forms) {
    const candidate = make();
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    if (fixes(recheck({ body: Buffer.from(candidate, "utf8") }))) {
      return {
        code: "body_reserialized",
        message:
          `The signature matches the same JSON serialised as ${words}, not the bytes that arrived. The sender signed a ` +
          "re-serialised object (for example JSON.stringify of a parsed body) and sent different bytes, or a proxy, tunnel or " +
          "framework re-formatted the JSON on the way. Signatures cover exact bytes: sign and send the same bytes, and verify " +
          "the raw body, never a parsed and re-encoded one.",
        detail: { form },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// trailing_newline

const showEnding = (s: string) => (s === "" ? "nothing" : s.replace(/\r/g, "\\r").replace(/\n/g, "\\n"));

export function trailingNewline(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const body = Buffer.from(ctx.input.body);
  let end = body.length;
  while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x0d)) end -= 1;
  const stripped = body.subarray(0, end);
  const original = body.subarray(end).toString("latin1");
  for (const ending of ["", "\n", "\r\n", "\r\n\r\n"]) {
    if (ending === original) continue;
    if (fixes(recheck({ body: Buffer.concat([stripped, Buffer.from(ending, "latin1")]) }))) {
      const added = ending.length > original.length;
      return {
        code: "trailing_newline",
        message:
          `The signature matches when the body ends with ${showEnding(ending)} instead of ${showEnding(original)}. ` +
          (added
            ? "The signed body had a trailing newline that the delivered body lacks: something stripped it after signing."
            : "The delivered body has a trailing newline that was not signed: it was appended after signing.") +
          " Verify the exact bytes, and make sure neither the sender nor a proxy trims or appends newlines.",
        detail: { signedEnding: showEnding(ending), receivedEnding: showEnding(original) },
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// url_variant

const URL_PARTS = /^(https?):\/\/([^/?#]*)([^?#]*)(.*)$/i;

function urlVariants(url: string): string[] {
  const m = URL_PARTS.exec(url);
  if (!m) return [];
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!;
  const path = m[3]!;
  const rest = m[4]!;
  const hp = /^(.*?)(?::(\d+))?$/.exec(authority)!;
  const host = hp[1]!;
  const port = hp[2] ?? null;
  const defaultPort = (s: string) => (s === "https" ? "443" : "80");
  const togglePath = path === "" || path === "/" ? (path === "/" ? "" : "/") : path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
  const variants: { url: string; changes: number }[] = [];
  for (const s of [scheme, scheme === "https" ? "http" : "https"]) {
    const ports = [...new Set([port, null, defaultPort(s)])];
    for (const p of ports) {
      for (const pth of [path, togglePath]) {
        const candidate = `${s}://${host}${p !== null ? `:${p}` : ""}${pth}${rest}`;
        const changes = Number(s !== scheme) + Number(p !== port) + Number(pth !== path);
        if (changes > 0 && candidate !== url) variants.push({ url: candidate, changes });
      }
    }
  }
  const seen = new Set<string>();
  return variants
    .sort((a, b) => a.changes - b.changes)
    .map((v) => v.url)
    .filter((u) => {
      if (seen.has(u)) return false;
      seen.add(u);
      return true;
    })
    .slice(0, 8);
}

export function urlVariant(ctx: DiagnoseContext, recheck: Recheck): Diagnosis | null {
  const url = ctx.input.url;
  if (!ctx.scheme.signsUrl || url === undefined || url === "") return null;
  for (const candidate of urlVariants(url)) {
    if (fixes(recheck({ url: candidate }))) {
      return {
        code: "url_variant",
        message:
          `The signature matches the URL ${candidate} instead of ${url}. ${ctx.spec.name} signs the exact URL it called, and ` +
          "the two differ in scheme (http/https), port or trailing slash: a TLS terminator or proxy changed it, or the webhook " +
          "URL is configured differently at the sender. Configure the exact public capture URL at the sender.",
        detail: { signedUrl: candidate, captureUrl: url },
      };
    }
  }
  return null;
}
