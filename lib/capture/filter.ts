// The capture list filter, shared by the API (lib/capture/store.ts) and the browser (live
// arrivals): method (exact), path (substring) and q (text in the headers or the body). Pure and
// free of Node APIs so both sides run the same code. Matching is case-insensitive throughout.
import { z } from "zod";
import type { HeaderPairs } from "../model/capture";

export interface CaptureFilter {
  /** Upper-case HTTP method, matched exactly. */
  method?: string;
  /** Substring of the raw (percent-encoded) path after the token. */
  path?: string;
  /** Substring of a header line ("Name: value") or of the body decoded as UTF-8. */
  q?: string;
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Query-string schema for the three filter params (the route adds paging). */
export const captureFilterSchema = z.object({
  method: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(32)
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "method must be an HTTP method token")
      .transform((m) => m.toUpperCase())
      .optional(),
  ),
  path: z.preprocess(blankToUndefined, z.string().max(2048).optional()),
  q: z.preprocess(blankToUndefined, z.string().max(512).optional()),
});

/** Drops empty fields; returns null when nothing filters. */
export function normalizeFilter(filter: CaptureFilter): CaptureFilter | null {
  const out: CaptureFilter = {};
  if (filter.method?.trim()) out.method = filter.method.trim().toUpperCase();
  if (filter.path) out.path = filter.path;
  if (filter.q?.trim()) out.q = filter.q;
  return Object.keys(out).length ? out : null;
}

export function isFiltering(filter: CaptureFilter | null | undefined): boolean {
  return Boolean(filter && normalizeFilter(filter));
}

/** The filter as URL search params (only the set fields), for the API. */
export function filterParams(filter: CaptureFilter | null | undefined): string {
  const f = filter ? normalizeFilter(filter) : null;
  if (!f) return "";
  const p = new URLSearchParams();
  if (f.method) p.set("method", f.method);
  if (f.path) p.set("path", f.path);
  if (f.q) p.set("q", f.q);
  return p.toString();
}

/** Method and path: the part a capture summary (list row, live event) can answer by itself. */
export function matchesSummary(filter: CaptureFilter | null | undefined, c: { method: string; path: string }): boolean {
  if (!filter) return true;
  if (filter.method && c.method.toUpperCase() !== filter.method.toUpperCase()) return false;
  if (filter.path && !c.path.toLowerCase().includes(filter.path.toLowerCase())) return false;
  return true;
}

/** True when `q` occurs in a header line ("Name: value"), case-insensitively. */
export function headersContain(headers: HeaderPairs, q: string): boolean {
  const needle = q.toLowerCase();
  return headers.some(([name, value]) => `${name}: ${value}`.toLowerCase().includes(needle));
}

const decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: false });

/** True when `q` occurs in the body decoded as UTF-8 (invalid bytes become U+FFFD), case-insensitively. */
export function bodyContains(body: Uint8Array | null | undefined, q: string): boolean {
  if (!body || body.length === 0) return false;
  return decoder.decode(body).toLowerCase().includes(q.toLowerCase());
}

/** The full predicate, for a capture whose headers and body are at hand. */
export function matchesCapture(
  filter: CaptureFilter | null | undefined,
  c: { method: string; path: string; headers: HeaderPairs; body: Uint8Array | null | undefined },
): boolean {
  if (!matchesSummary(filter, c)) return false;
  if (!filter?.q) return true;
  return headersContain(c.headers, filter.q) || bodyContains(c.body, filter.q);
}
