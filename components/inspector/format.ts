// Small display formatters shared by the list and the detail.
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago". */
export function relativeTime(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 5) return "just now";
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.floor(h / 24)}d ago`;
}

/** Exact UTC with milliseconds, e.g. 2025-01-02T03:04:05.678Z. */
export function exactUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** The URL the sender used: the endpoint's capture URL, the sub-path and the raw query. */
export function fullCaptureUrl(endpointUrl: string, path: string, query: string): string {
  return `${endpointUrl}${path}${query ? `?${query}` : ""}`;
}

/** A request line for the list: path and query, or "/" for the bare capture URL. */
export function pathWithQuery(path: string, query: string): string {
  return `${path || "/"}${query ? `?${query}` : ""}`;
}
