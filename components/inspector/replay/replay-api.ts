// Browser-side access to the replay API: server replays, browser-replay records, attempts, the two
// diffs, saved targets and the forwarding rule. Errors come back as ApiError with the server's
// code and message (the panel words target_forbidden and friends for people). Mutating calls send
// JSON with Content-Type: application/json.
import { ApiError } from "../api";
import type { HeaderPairs } from "@/lib/capture/types";
import type { AttemptView } from "@/lib/replay/attempts";
import type { BodyDiff, HeaderChange, JsonChange, RequestDiff, ResponseDiff, TextLine } from "@/lib/replay/diff";
import type { ForwardRuleView, ForwardState } from "@/lib/replay/forward-rules";
import type { AttemptDiff, EditedRequestDiff } from "@/lib/replay/service";
import type { ReplayTargetView } from "@/lib/replay/targets";

export type {
  AttemptView,
  AttemptDiff,
  BodyDiff,
  EditedRequestDiff,
  ForwardRuleView,
  ForwardState,
  HeaderChange,
  HeaderPairs,
  JsonChange,
  ReplayTargetView,
  RequestDiff,
  ResponseDiff,
  TextLine,
};

const enc = encodeURIComponent;

export const attemptsKey = (captureId: string) => `/api/captures/${enc(captureId)}/attempts`;
export const attemptKey = (id: string, reveal = false) => `/api/attempts/${enc(id)}${reveal ? "?reveal=1" : ""}`;
export const attemptBodyUrl = (id: string, part: "request" | "response", reveal = false) =>
  `/api/attempts/${enc(id)}/body?${part === "request" ? "part=request&" : ""}${reveal ? "reveal=1" : ""}`.replace(/[?&]$/, "");
export const attemptDiffKey = (a: string, b: string) => `/api/attempts/diff?a=${enc(a)}&b=${enc(b)}`;
export const targetsKey = (endpointId: string) => `/api/endpoints/${enc(endpointId)}/replay-targets`;
export const forwardKey = (endpointId: string) => `/api/endpoints/${enc(endpointId)}/forward`;

export interface AttemptPage {
  attempts: AttemptView[];
  nextBefore: string | null;
}

async function call<T>(url: string, method: "POST" | "PUT" | "DELETE", body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let code = "http_error";
    let message = `The server answered HTTP ${res.status}.`;
    try {
      const e = (await res.json()) as { error?: { code?: string; message?: string } };
      code = e.error?.code ?? code;
      message = e.error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, code, message);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The edits a replay (or the request diff) carries; absent fields keep the capture's. */
export interface ReplayEdits {
  method?: string;
  headers?: HeaderPairs;
  body?: string;
  bodyBase64?: string;
  includeCredentials?: boolean;
  appendPath?: boolean;
}

export interface ServerReplayInput extends ReplayEdits {
  url: string;
  followRedirects?: boolean;
}

export const replayRequest = (captureId: string, input: ServerReplayInput) => call<AttemptView>(`/api/captures/${enc(captureId)}/replay`, "POST", input);

export const diffRequestRequest = (captureId: string, input: ReplayEdits & { url?: string }) =>
  call<EditedRequestDiff>(`/api/captures/${enc(captureId)}/diff-request`, "POST", input);

export interface BrowserAttemptReport {
  kind: "browser";
  request: { url: string; method: string; headers: HeaderPairs; bodyBase64: string };
  response?: { status: number; headers: HeaderPairs; bodyBase64: string; durationMs: number; truncated: boolean } | null;
  error?: { code: string; message: string } | null;
  durationMs: number;
}

export const recordBrowserAttempt = (captureId: string, report: BrowserAttemptReport) => call<AttemptView>(attemptsKey(captureId), "POST", report);

export const saveTargetRequest = (endpointId: string, input: { url: string; label?: string; followRedirects?: boolean }) =>
  call<ReplayTargetView>(targetsKey(endpointId), "POST", input);

export const deleteTargetRequest = (id: string) => call<void>(`/api/replay-targets/${enc(id)}`, "DELETE");

export const putForwardRequest = (endpointId: string, input: { url: string; enabled: boolean; followRedirects: boolean; maxAttempts: number }) =>
  call<ForwardState>(forwardKey(endpointId), "PUT", input);

export const deleteForwardRequest = (endpointId: string) => call<void>(forwardKey(endpointId), "DELETE");
