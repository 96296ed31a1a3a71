// A replay sent from the user's browser, for targets the server must not reach (http://localhost:…
// on the user's machine). The page's fetch() cannot set some headers (Host, Content-Length,
// Cookie…) and is subject to CORS: a target that does not allow this page's origin shows up as a
// bare network error, which the panel then explains. The outcome is reported to the server as an
// attempt of kind "browser" (POST /api/captures/:id/attempts).
import type { HeaderPairs } from "@/lib/model/capture";
import type { BrowserAttemptReport } from "./replay-api";
import { bytesToBase64, combinedNames, headersForBrowser, type DroppedHeader } from "./replay-helpers";

/** What the server records of a browser replay's bodies (lib/replay/attempts.ts MAX_STORED_RESPONSE_BYTES). */
export const RECORDED_BODY_MAX = 1024 * 1024;
const TIMEOUT_MS = 30_000;

export interface BrowserReplayPlan {
  url: string;
  method: string;
  headers: HeaderPairs;
  body: Uint8Array;
  includeCredentials: boolean;
  followRedirects: boolean;
}

export interface BrowserReplayOutcome {
  report: BrowserAttemptReport;
  /** Left out of the request, and why. */
  dropped: DroppedHeader[];
  /** Sent once, their values joined with ", " (a Headers object cannot repeat a name). */
  combined: string[];
  /** A GET or HEAD cannot carry a body in fetch(): the captured body was left out. */
  bodyDropped: boolean;
  /** The request body was longer than what an attempt records: the record keeps the first 1 MiB. */
  requestBodyCut: boolean;
  /** fetch() failed without a response: CORS refused it, or nothing answered. */
  networkError: boolean;
}

async function readCapped(res: Response, max: number): Promise<{ bytes: Uint8Array; size: number; truncated: boolean }> {
  if (!res.body) return { bytes: new Uint8Array(0), size: 0, truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let kept = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (kept < max) {
      const part = value.subarray(0, max - kept);
      chunks.push(part);
      kept += part.byteLength;
    }
    if (size > max) {
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  const bytes = new Uint8Array(kept);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, size, truncated };
}

export async function sendFromBrowser(plan: BrowserReplayPlan): Promise<BrowserReplayOutcome> {
  const method = plan.method.toUpperCase();
  const { sent: candidates, dropped } = headersForBrowser(plan.headers, plan.includeCredentials);
  const headers = new Headers();
  const sent: HeaderPairs = [];
  for (const [name, value] of candidates) {
    try {
      headers.append(name, value);
      sent.push([name, value]);
    } catch {
      dropped.push({ name, reason: "invalid" });
    }
  }
  const bodyDropped = (method === "GET" || method === "HEAD") && plan.body.byteLength > 0;
  const body = method === "GET" || method === "HEAD" || plan.body.byteLength === 0 ? undefined : plan.body;
  const recordedBody = (body ?? new Uint8Array(0)).subarray(0, RECORDED_BODY_MAX);
  const request = { url: plan.url, method, headers: sent, bodyBase64: bytesToBase64(recordedBody) };
  const base = { dropped, combined: combinedNames(sent), bodyDropped, requestBodyCut: (body?.byteLength ?? 0) > RECORDED_BODY_MAX };

  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let res: Response;
  try {
    res = await fetch(plan.url, {
      method,
      headers,
      body: body ? new Blob([body.slice()]) : undefined,
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      redirect: plan.followRedirects ? "follow" : "manual",
      referrerPolicy: "no-referrer",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const timeout = err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError");
    const durationMs = elapsed();
    return {
      ...base,
      networkError: !timeout,
      report: {
        kind: "browser",
        request,
        error: timeout
          ? { code: "timeout", message: `The target did not answer within ${TIMEOUT_MS / 1000} s.` }
          : {
              code: "cors_or_network",
              message: `The browser reported a network error (${err instanceof Error ? err.message : String(err)}): the target refused this page's origin (CORS), or nothing answered.`,
            },
        durationMs,
      },
    };
  }
  if (res.type === "opaqueredirect") {
    return {
      ...base,
      networkError: false,
      report: {
        kind: "browser",
        request,
        error: {
          code: "opaque_redirect",
          message: "The target answered with a redirect; browsers hide where it points. Tick Follow redirects to follow it.",
        },
        durationMs: elapsed(),
      },
    };
  }
  const { bytes, truncated } = await readCapped(res, RECORDED_BODY_MAX);
  const durationMs = elapsed();
  return {
    ...base,
    networkError: false,
    report: {
      kind: "browser",
      request,
      response: { status: res.status, headers: [...res.headers.entries()], bodyBase64: bytesToBase64(bytes), durationMs, truncated },
      durationMs,
    },
  };
}
