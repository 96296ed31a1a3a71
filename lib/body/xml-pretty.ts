// XML re-indented for reading. A pure, linear tokenizer (no DOMParser, nothing resolved or fetched,
// entities left as written): tags, comments, CDATA, processing instructions and doctypes are kept
// exactly as sent and only whitespace between them changes. Tolerant: unterminated constructs and
// mismatched closing tags still print; output and indentation are capped.

export type PrettyXml = { ok: true; text: string; warnings: string[] } | { ok: false; reason: string };

export const XML_LIMITS = { maxInputChars: 4 * 1024 * 1024, maxOutputChars: 8 * 1024 * 1024, maxIndent: 40 };

type Token = { kind: "open" | "close" | "self" | "other" | "text"; text: string };

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_:\u0080-\uffff]/.test(c);
}

/** Index just past the `>` that ends a tag starting at `i`, honouring quoted attribute values. */
function tagEnd(s: string, i: number): number {
  let quote: string | null = null;
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return j + 1;
  }
  return -1;
}

/** End of `<!DOCTYPE …>` including an internal subset in brackets. */
function declEnd(s: string, i: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let j = i + 2; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth = Math.max(0, depth - 1);
    else if (c === ">" && depth === 0) return j + 1;
  }
  return -1;
}

export function tokenizeXml(s: string, warnings: string[] = []): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const until = (needle: string, from: number, what: string): number => {
    const k = s.indexOf(needle, from);
    if (k < 0) {
      warnings.push(`Unterminated ${what}.`);
      return s.length;
    }
    return k + needle.length;
  };
  while (i < s.length) {
    if (s[i] !== "<") {
      let k = s.indexOf("<", i);
      if (k < 0) k = s.length;
      tokens.push({ kind: "text", text: s.slice(i, k) });
      i = k;
      continue;
    }
    let end: number;
    let kind: Token["kind"] = "other";
    if (s.startsWith("<!--", i)) end = until("-->", i + 4, "comment");
    else if (s.startsWith("<![CDATA[", i)) end = until("]]>", i + 9, "CDATA section");
    else if (s.startsWith("<?", i)) end = until("?>", i + 2, "processing instruction");
    else if (s.startsWith("<!", i)) {
      end = declEnd(s, i);
      if (end < 0) {
        warnings.push("Unterminated declaration.");
        end = s.length;
      }
    } else if (s[i + 1] === "/" || isNameStart(s[i + 1])) {
      end = tagEnd(s, i);
      if (end < 0) {
        warnings.push("Unterminated tag.");
        end = s.length;
        kind = "other";
      } else kind = s[i + 1] === "/" ? "close" : s[end - 2] === "/" ? "self" : "open";
    } else {
      // A stray `<` that starts nothing: plain text.
      let k = s.indexOf("<", i + 1);
      if (k < 0) k = s.length;
      const prev = tokens[tokens.length - 1];
      if (prev?.kind === "text") prev.text += s.slice(i, k);
      else tokens.push({ kind: "text", text: s.slice(i, k) });
      i = k;
      continue;
    }
    tokens.push({ kind, text: s.slice(i, end) });
    i = end;
  }
  return tokens;
}

export function prettyXml(text: string, limits = XML_LIMITS): PrettyXml {
  if (text.length > limits.maxInputChars) return { ok: false, reason: `larger than ${Math.round(limits.maxInputChars / 1048576)} MiB` };
  const warnings: string[] = [];
  const tokens = tokenizeXml(text, warnings);
  const out: string[] = [];
  let size = 0;
  let depth = 0;
  let mismatched = false;
  const line = (s: string) => {
    const pad = "  ".repeat(Math.min(depth, limits.maxIndent));
    out.push(pad + s);
    size += pad.length + s.length + 1;
  };
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t]!;
    if (tok.kind === "text") {
      const trimmed = tok.text.trim();
      if (trimmed) line(trimmed);
    } else if (tok.kind === "open") {
      // <a>short text</a> stays on one line.
      const next = tokens[t + 1];
      const after = tokens[t + 2];
      if (next?.kind === "close") {
        line(tok.text + next.text);
        t += 1;
      } else if (next?.kind === "text" && after?.kind === "close" && !next.text.trim().includes("\n")) {
        line(tok.text + next.text.trim() + after.text);
        t += 2;
      } else {
        line(tok.text);
        depth++;
      }
    } else if (tok.kind === "close") {
      if (depth === 0) mismatched = true;
      depth = Math.max(0, depth - 1);
      line(tok.text);
    } else line(tok.text);
    if (size > limits.maxOutputChars) return { ok: false, reason: "pretty form too large" };
  }
  if (mismatched || depth !== 0) warnings.push("Tags are not balanced.");
  return { ok: true, text: out.join("\n"), warnings };
}
