// The HQL field vocabulary: the catalogue (for docs, autocomplete and errors) and field-name
// resolution (`header.X-Foo` → { name: "header", key: "x-foo" }), with nearest-name suggestions.
import type { FieldRef, JsonStep, ScalarField } from "./ast";
import { fail, nearest } from "./errors";

export interface FieldInfo {
  /** As written in a query: `method`, `header.<name>`. */
  name: string;
  /** The value syntax, short. */
  syntax: string;
  description: string;
  examples: string[];
  /** The closed set of values, for enum fields. */
  values?: readonly string[];
}

export const BODY_TYPES = ["json", "form", "multipart", "xml", "text", "binary", "empty"] as const;
export const SIG_STATES = ["valid", "invalid", "stale", "unknown"] as const;

export const fieldCatalogue: readonly FieldInfo[] = [
  { name: "method", syntax: "word, glob", description: "HTTP method", examples: ["POST", "[GET,HEAD]"] },
  { name: "path", syntax: "text, glob", description: "Path after the token (raw or percent-decoded)", examples: ["/hooks/*"] },
  { name: "query.<name>", syntax: "text, glob", description: "Any query parameter of that name (decoded)", examples: ["query.page:2"] },
  {
    name: "header.<name>",
    syntax: "text, glob",
    description: "Any header of that name (name case-insensitive)",
    examples: ["header.x-github-event:push"],
  },
  {
    name: "json.<path>",
    syntax: "string, number, true/false/null, >n, a..b",
    description: "A JSON body value: dots, [n], [] any element",
    examples: ["json.data.object.amount:>=1000", 'json.repository.full_name:"acme/api"'],
  },
  {
    name: "form.<name>",
    syntax: "text, glob",
    description: "A urlencoded or multipart field (file parts: the file name)",
    examples: ["form.email:*@acme.com"],
  },
  { name: "body", syntax: "text (substring)", description: "Text in the body only", examples: ['body:"out of stock"'] },
  {
    name: "status",
    syntax: "404, 5xx, >=500, 400..499",
    description: "The status Hookscope answered",
    examples: ["5xx", ">=500", "400..499"],
  },
  {
    name: "size",
    syntax: "bytes, kb/mb/gb (1kb = 1024), >, <, a..b",
    description: "Stored body size",
    examples: [">1mb", "<100", "1kb..10kb"],
  },
  { name: "type", syntax: BODY_TYPES.join(", "), description: "Body type", examples: ["json", "multipart"], values: BODY_TYPES },
  {
    name: "received",
    syntax: ">-1h, -7d..-1d, 2026-12-01, 2026-12-01T10:00Z",
    description: "When it arrived (UTC)",
    examples: [">-24h", "-7d..-1d", "2026-12-01"],
  },
  { name: "ip", syntax: "address or CIDR, v4 or v6", description: "Client address", examples: ["203.0.113.0/24", "2001:db8::1"] },
  {
    name: "rejected",
    syntax: "true, false, or a reason",
    description: "Stored without its body (the reason)",
    examples: ["true", "body_too_large"],
  },
  {
    name: "sig",
    syntax: SIG_STATES.join(", "),
    description: "Signature verification result",
    examples: ["valid", "invalid"],
    values: SIG_STATES,
  },
  { name: "provider", syntax: "word, glob", description: "Detected webhook provider", examples: ["stripe", "github"] },
  { name: "event", syntax: "word, glob", description: "Provider event type", examples: ["invoice.*", "push"] },
  { name: "delivery", syntax: "word, glob", description: "Provider delivery id", examples: ["evt_1*"] },
  { name: "endpoint", syntax: "id or alias, glob", description: "The endpoint (workspace-wide search)", examples: ["orders"] },
  {
    name: "has",
    syntax: "a field name",
    description: "Presence: has:header.x, has:json.a.b, has:body, has:provider …",
    examples: ["has:header.authorization"],
  },
];

export const SCALAR_FIELDS: readonly ScalarField[] = [
  "method",
  "path",
  "body",
  "status",
  "size",
  "type",
  "received",
  "ip",
  "rejected",
  "sig",
  "provider",
  "event",
  "delivery",
  "endpoint",
];
const PREFIXED = ["query", "header", "form", "json"] as const;
const ALL_NAMES = fieldCatalogue.map((f) => f.name);
const scalarSet = new Set<string>(SCALAR_FIELDS);

/** Fields `has:` accepts (the others are always present). */
export const HAS_FIELDS = [
  "header.<name>",
  "json.<path>",
  "query.<name>",
  "form.<name>",
  "body",
  "provider",
  "event",
  "delivery",
  "rejected",
];
const HAS_SCALARS = new Set(["body", "provider", "event", "delivery", "rejected"]);

/** Field-shaped: letters, then optionally `.` and a name part (no spaces, no colon). */
export const FIELD_SHAPED = /^[A-Za-z][A-Za-z_]*(?:[.[][^\s:]*)?$/;

function unknownField(name: string, start: number, end: number, candidates: readonly string[]): never {
  const root = name.split(/[.[]/)[0] ?? name;
  const byRoot = nearest(root, [...SCALAR_FIELDS, ...PREFIXED, "has"]).map((r) =>
    (PREFIXED as readonly string[]).includes(r) ? (ALL_NAMES.find((n) => n.startsWith(`${r}.`)) ?? r) : r,
  );
  const suggestions = byRoot.filter((s) => candidates.includes(s));
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(", ")}?` : "";
  fail(start, end, `unknown field "${name}"${hint} (to search the text, quote it)`, [...candidates], suggestions);
}

function parseJsonPath(text: string, start: number): JsonStep[] {
  const steps: JsonStep[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      let j = i + 1;
      while (j < text.length && text[j] !== "." && text[j] !== "[") j++;
      if (j === i + 1) fail(start + i, start + i + 1, "empty name in json path", ["a key after ."]);
      steps.push({ key: text.slice(i + 1, j) });
      i = j;
    } else if (c === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) fail(start + i, start + text.length, "unclosed [ in json path", ["]"]);
      const inner = text.slice(i + 1, close);
      if (inner === "") steps.push({ any: true });
      else if (/^\d{1,9}$/.test(inner)) steps.push({ index: Number(inner) });
      else fail(start + i, start + close + 1, `"[${inner}]" is not an index`, ["[n]", "[]"]);
      i = close + 1;
    } else fail(start + i, start + i + 1, `unexpected "${c}" in json path`, [".", "["]);
  }
  return steps;
}

/** `text` is the field name as written, at `start` in the source. Throws on unknown names. */
export function resolveField(text: string, start: number): FieldRef {
  const end = start + text.length;
  const m = /^([A-Za-z_]+)(.*)$/s.exec(text);
  const root = (m?.[1] ?? "").toLowerCase();
  const rest = m?.[2] ?? "";
  if (rest === "" && scalarSet.has(root)) return { name: root as ScalarField };
  if (root === "json" && rest === "") fail(start, end, "json needs a path: json.<path>", ["json.<path>"], ["json.<path>"]);
  if (root === "json") return { name: "json", path: parseJsonPath(rest, start + 4) };
  if (root === "query" || root === "header" || root === "form") {
    if (!rest.startsWith(".") || rest.length < 2)
      fail(start, end, `${root} needs a name: ${root}.<name>`, [`${root}.<name>`], [`${root}.<name>`]);
    const key = rest.slice(1);
    if (root === "header" && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key))
      fail(start + 7, end, `"${key}" is not a header name`, ["a header name"]);
    return { name: root, key: root === "header" ? key.toLowerCase() : key };
  }
  unknownField(
    text,
    start,
    end,
    ALL_NAMES.filter((n) => n !== "has"),
  );
}

/** The field named by `has:`'s value. */
export function resolveHasField(text: string, start: number): FieldRef {
  const root = (/^[A-Za-z_]*/.exec(text)?.[0] ?? "").toLowerCase();
  if (!FIELD_SHAPED.test(text) || (!HAS_SCALARS.has(root) && !(PREFIXED as readonly string[]).includes(root))) {
    if (scalarSet.has(root))
      fail(start, start + text.length, `has:${text} is always true; has: takes one of ${HAS_FIELDS.join(", ")}`, HAS_FIELDS);
    unknownField(text, start, start + text.length, HAS_FIELDS);
  }
  return resolveField(text, start);
}

/** `header.<name>` for a ref, as written canonically. */
export function fieldName(ref: FieldRef): string {
  if (ref.name === "json") {
    return `json${ref.path.map((s) => ("key" in s ? `.${s.key}` : "index" in s ? `[${s.index}]` : "[]")).join("")}`;
  }
  return "key" in ref ? `${ref.name}.${ref.key}` : ref.name;
}
