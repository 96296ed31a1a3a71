// Browser-side access to the replay API: server replays, browser-replay records, attempts, the two
// diffs, saved targets and the forwarding rule. Errors come back as ApiError with the server's
// code and message (the panel words target_forbidden and friends for people). Mutating calls send
// JSON with Content-Type: application/json.
import { sendJson } from "../api-client";
import type { HeaderPairs } from "@/lib/model/capture";
import type { AttemptView } from "@/lib/replay/attempts";
import type { RequestDiff, ResponseDiff } from "@/lib/replay/diff";
import type { BodyDiff, HeaderChange, JsonChange, TextLine } from "@/lib/replay/diff-types";
import type { ForwardRuleView, ForwardState } from "@/lib/replay/forward-rules";
import type { AttemptDiff, EditedRequestDiff } from "@/lib/replay/attempt-diff";
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
/** Pages of a capture's attempts, newest first, for useSWRInfinite (each page follows the previous one's nextBefore). */
export const attemptPagesKey =
  (captureId: string) =>
  (index: number, previous: AttemptPage | null): string | null => {
    if (index === 0) return attemptsKey(captureId);
    return previous?.nextBefore ? `${attemptsKey(captureId)}?before=${enc(previous.nextBefore)}` : null;
  };
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

export const replayRequest = (captureId: string, input: ServerReplayInput) =>
  sendJson<AttemptView>("POST", `/api/captures/${enc(captureId)}/replay`, input);

export const diffRequestRequest = (captureId: string, input: ReplayEdits & { url?: string }) =>
  sendJson<EditedRequestDiff>("POST", `/api/captures/${enc(captureId)}/diff-request`, input);

export interface BrowserAttemptReport {
  kind: "browser";
  request: { url: string; method: string; headers: HeaderPairs; bodyBase64: string };
  response?: { status: number; headers: HeaderPairs; bodyBase64: string; durationMs: number; truncated: boolean } | null;
  error?: { code: string; message: string } | null;
  durationMs: number;
}

export const recordBrowserAttempt = (captureId: string, report: BrowserAttemptReport) =>
  sendJson<AttemptView>("POST", attemptsKey(captureId), report);

export const saveTargetRequest = (endpointId: string, input: { url: string; label?: string; followRedirects?: boolean }) =>
  sendJson<ReplayTargetView>("POST", targetsKey(endpointId), input);

export const deleteTargetRequest = (id: string) => sendJson<void>("DELETE", `/api/replay-targets/${enc(id)}`);

export const putForwardRequest = (
  endpointId: string,
  input: { url: string; enabled: boolean; followRedirects: boolean; maxAttempts: number },
) => sendJson<ForwardState>("PUT", forwardKey(endpointId), input);

export const deleteForwardRequest = (endpointId: string) => sendJson<void>("DELETE", forwardKey(endpointId));
