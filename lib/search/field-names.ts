// The names seen in an endpoint's recent captures, for the search bar's autocomplete: header
// names, query parameter names and JSON paths in HQL's form (`json.a.b`, `[]` for any element).
// Names only, never values: a viewer may see which keys exist (the masked view shows them too),
// a masked value never leaves through here. Pure and bounded: shared by the server (sampling)
// and the browser (names from captures it already holds).

export interface FieldNames {
  headerNames: string[];
  jsonPaths: string[];
  queryNames: string[];
}

/** What one capture contributes. `json` is its parsed body (undefined when not JSON). */
export interface FieldSample {
  headers: readonly (readonly [string, string])[];
  query: string;
  json?: unknown;
}

export const FIELD_NAME_LIMITS = { names: 200, jsonDepth: 6, keysPerObject: 100, nameLength: 100 };

/** A key HQL can write after a dot without quoting (others are left out of the suggestions). */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

function addJsonPaths(value: unknown, prefix: string, depth: number, out: Set<string>) {
  if (out.size >= FIELD_NAME_LIMITS.names || depth > FIELD_NAME_LIMITS.jsonDepth) return;
  if (Array.isArray(value)) {
    // Elements are usually alike: the first object element stands for all of them.
    const sample = value.find((v) => typeof v === "object" && v !== null);
    if (sample !== undefined) addJsonPaths(sample, `${prefix}[]`, depth + 1, out);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  let n = 0;
  for (const [key, child] of Object.entries(value)) {
    if (++n > FIELD_NAME_LIMITS.keysPerObject || out.size >= FIELD_NAME_LIMITS.names) break;
    if (!PLAIN_KEY.test(key) || key.length > FIELD_NAME_LIMITS.nameLength) continue;
    const path = `${prefix}.${key}`;
    out.add(path);
    addJsonPaths(child, path, depth + 1, out);
  }
}

function queryNamesOf(query: string): string[] {
  const names: string[] = [];
  for (const part of query.split("&")) {
    const raw = part.split("=", 1)[0] ?? "";
    if (!raw) continue;
    try {
      names.push(decodeURIComponent(raw.replace(/\+/g, " ")));
    } catch {
      names.push(raw);
    }
  }
  return names;
}

const bounded = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b)).slice(0, FIELD_NAME_LIMITS.names);

/** Header names lower-cased (HQL matches them case-insensitively); all three lists sorted and bounded. */
export function collectFieldNames(samples: Iterable<FieldSample>): FieldNames {
  const headers = new Set<string>();
  const queries = new Set<string>();
  const json = new Set<string>();
  for (const s of samples) {
    for (const [name] of s.headers) if (name.length <= FIELD_NAME_LIMITS.nameLength && headers.size < 1000) headers.add(name.toLowerCase());
    for (const name of queryNamesOf(s.query)) if (name.length <= FIELD_NAME_LIMITS.nameLength && queries.size < 1000) queries.add(name);
    if (s.json !== undefined) addJsonPaths(s.json, "json", 0, json);
  }
  return { headerNames: bounded(headers), jsonPaths: bounded(json), queryNames: bounded(queries) };
}

/** Two name lists merged (e.g. the API's sample and the captures the list holds). */
export function mergeFieldNames(a: FieldNames, b: FieldNames): FieldNames {
  const merge = (x: string[], y: string[]) => bounded(new Set([...x, ...y]));
  return {
    headerNames: merge(a.headerNames, b.headerNames),
    jsonPaths: merge(a.jsonPaths, b.jsonPaths),
    queryNames: merge(a.queryNames, b.queryNames),
  };
}
