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
