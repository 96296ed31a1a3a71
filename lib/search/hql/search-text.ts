// What bare text searches: the path and the query string (as sent and percent-decoded), each
// header as one "name: value" line, and the body text. The search projection stores the same
// strings, so SQL and memory agree (a phrase can match across a header's name and value, never
// across two headers or two fields).
import { decodeFormComponent } from "../../body/form";
import type { SearchDoc } from "../doc";

/** Percent-decoding for paths (`+` stays `+`); undecodable input is returned unchanged. */
export function decodePath(path: string): string {
  if (!path.includes("%")) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function searchTexts(doc: SearchDoc): string[] {
  const out = [doc.path];
  const path = decodePath(doc.path);
  if (path !== doc.path) out.push(path);
  if (doc.query !== "") {
    out.push(doc.query);
    const query = decodeFormComponent(doc.query).text;
    if (query !== doc.query) out.push(query);
  }
  for (const [name, value] of doc.headers) out.push(`${name}: ${value}`);
  if (doc.bodyText !== "") out.push(doc.bodyText);
  return out;
}
