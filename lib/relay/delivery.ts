// One delivery as the relay reports it, and the line it prints for it.
import type { CaptureSummary } from "../model/capture";
import type { SendResult } from "../replay/send";

export interface Delivery {
  seq: number;
  captureId: string;
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  error: { code: string; message: string } | null;
  /** The body fetched from the server did not match the capture's SHA-256 (redacted?). */
  bodyMismatch: boolean;
}

export function toDelivery(summary: CaptureSummary, url: string, result: SendResult, bodyMismatch: boolean): Delivery {
  return {
    seq: summary.seq,
    captureId: summary.id,
    method: result.request.method,
    url,
    status: result.response?.status ?? null,
    durationMs: result.response?.durationMs ?? result.durationMs,
    error: result.error,
    bodyMismatch,
  };
}

export function shortPath(c: { path: string; query: string }): string {
  return `${c.path || "/"}${c.query ? `?${c.query}` : ""}`;
}

export function clock(date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}`;
}

/** "12:00:01.042 #17 POST /webhooks/stripe?x=1 → 200 12 ms" or "… → error connection_refused (…)". */
export function formatDelivery(d: Delivery, at = new Date()): string {
  let path: string;
  try {
    const u = new URL(d.url);
    path = u.pathname + u.search;
  } catch {
    path = d.url;
  }
  const outcome = d.error ? `error ${d.error.code} (${d.error.message})` : `${d.status}`;
  const warn = d.bodyMismatch ? " [body differs from the capture's SHA-256: redacted?]" : "";
  return `${clock(at)} #${d.seq} ${d.method} ${path} → ${outcome} ${d.durationMs} ms${warn}`;
}
