// Query strings as sent (raw, percent-encoded) to name/value rows for display. Repeated keys are
// kept in order; a bad escape is shown raw and flagged rather than failing the whole table.
export interface QueryParam {
  name: string;
  value: string;
  /** True when a percent escape could not be decoded and the raw text is shown. */
  malformed: boolean;
}

function decode(part: string): { text: string; ok: boolean } {
  const plus = part.replace(/\+/g, " ");
  try {
    return { text: decodeURIComponent(plus), ok: true };
  } catch {
    return { text: plus, ok: false };
  }
}

export function parseQuery(raw: string): QueryParam[] {
  return parseQueryIndexed(raw).map(({ index: _index, ...param }) => param);
}

/**
 * The same, with each parameter's position among the `&`-separated pieces (empty pieces count),
 * which is how the server's redaction names the query values it masked.
 */
export function parseQueryIndexed(raw: string): (QueryParam & { index: number })[] {
  const query = raw.startsWith("?") ? raw.slice(1) : raw;
  if (!query) return [];
  return query
    .split("&")
    .map((piece, index) => ({ piece, index }))
    .filter(({ piece }) => piece !== "")
    .map(({ piece, index }) => {
      const eq = piece.indexOf("=");
      const name = decode(eq < 0 ? piece : piece.slice(0, eq));
      const value = decode(eq < 0 ? "" : piece.slice(eq + 1));
      return { name: name.text, value: value.text, malformed: !name.ok || !value.ok, index };
    });
}
