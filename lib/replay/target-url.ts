// Pure URL arithmetic shared by the server (replay, forwarding) and the dashboard (its preview of
// the address a replay goes to): no imports, so the browser bundle can use it.

const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i;

/**
 * `base` with the capture's sub-path appended to its path and the capture's query appended to its
 * query, both still percent-encoded exactly as captured:
 * ("http://localhost:3000/webhooks?a=1", { path: "/stripe", query: "b=2" })
 *   → "http://localhost:3000/webhooks/stripe?a=1&b=2". Null when `base` is not an absolute URL.
 */
export function appendCapturePath(base: string, capture: { path: string; query: string }): string | null {
  const m = URL_PARTS.exec(base.trim());
  if (!m) return null;
  const origin = m[1] as string;
  const basePath = m[2] ?? "";
  const baseQuery = m[3] ?? "";
  const sub = capture.path && !capture.path.startsWith("/") ? `/${capture.path}` : capture.path;
  const path = sub ? basePath.replace(/\/+$/, "") + sub : basePath;
  const query = [baseQuery, capture.query].filter(Boolean).join("&");
  return `${origin}${path || "/"}${query ? `?${query}` : ""}`;
}

// What a receiving server may take for a path separator or a dot segment once it decodes the path: "/" and "\"
// (IIS, some proxies and frameworks turn "\" into "/"), also percent-encoded; "." and ".." also as %2e, and "..;x"
// (Tomcat's path parameters), "... " (trailing dots and spaces dropped). Decoding is repeated (a double-encoded %252e%252e is ".." to a server that decodes
// twice); a few rounds are enough for any sender, and more would only make the check stricter.
const DECODE_ROUNDS = 3;
const SEPARATOR = /[/\\]/;
const ESCAPE = /%[0-9a-fA-F]{2}/;

function decodeOnce(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Whether a capture's sub-path, appended under a base path (appendCapturePath), could leave that base once the
 * receiver resolves dot segments: walking the segments (read as above), a ".." that climbs above the point where
 * the sub-path starts. Null when it cannot; otherwise the reason in words. Conservative by design: a segment that a
 * server might read as ".." counts as "..", so "/a/%2e%2e/b" (which stays under the base) passes but
 * "/%2e%2e/admin" does not.
 */
export function capturePathEscape(path: string): string | null {
  let decoded = path;
  for (let i = 0; i < DECODE_ROUNDS && ESCAPE.test(decoded); i++) decoded = decodeOnce(decoded);
  let depth = 0;
  for (const raw of decoded.split(SEPARATOR)) {
    // Windows-hosted servers drop trailing dots and spaces ("... " is ".."); counted as ".." here too.
    const segment = raw.replace(/;.*$/, "").trim();
    if (segment === "" || segment === ".") continue;
    if (/^\.{2,}$/.test(segment)) {
      depth--;
      if (depth < 0) return 'its path climbs out of the base path with a ".." segment (%2e%2e, backslashes and ..; count too)';
      continue;
    }
    depth++;
  }
  return null;
}
