"use client";
// What a send did: the status (or the refusal, worded for people) and, for a replay from the
// browser, what the browser left out and, when it got no answer, what to configure for CORS.
import { useState } from "react";
import { StatusChip } from "./attempt-chips";
import type { BrowserReplayOutcome } from "./browser-replay";
import type { AttemptView } from "./replay-api";
import { corsAdvice, droppedReason, formatDuration, isLocalTarget, type DroppedHeader } from "./replay-helpers";

export type Result =
  | { type: "server"; attempt: AttemptView; url: string }
  | { type: "browser"; attempt: AttemptView | null; outcome: BrowserReplayOutcome; recordError: string | null; url: string }
  | { type: "refused"; title: string; detail: string | null };

export function ResultView({ result, method }: { result: Result; method: string }) {
  if (result.type === "refused") {
    return (
      <div
        role="alert"
        data-testid="replay-result"
        className="space-y-1 rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
      >
        <p className="font-medium">{result.title}</p>
        {result.detail ? <p className="text-xs">{result.detail}</p> : null}
      </div>
    );
  }
  const attempt = result.attempt;
  const outcome = result.type === "browser" ? result.outcome : null;
  const response = attempt?.response ?? outcome?.report.response ?? null;
  const error = attempt?.error ?? outcome?.report.error ?? null;
  const ok = response !== null;
  return (
    <div
      role="status"
      data-testid="replay-result"
      className={`space-y-2 rounded-md border p-3 text-sm ${
        ok
          ? "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100"
          : "border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-800 dark:bg-rose-950/40 dark:text-rose-100"
      }`}
    >
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{result.type === "server" ? "Sent from the server" : "Sent from this browser"}</span>
        {response ? (
          <>
            <StatusChip status={response.status} />
            <span className="text-xs">in {formatDuration(response.durationMs)}</span>
          </>
        ) : error ? (
          <span className="text-xs">
            failed: <span className="font-mono">{error.code}</span>
          </span>
        ) : null}
        <span className="min-w-0 break-all font-mono text-xs opacity-80">
          {method} {result.url}
        </span>
      </p>
      {error && !outcome?.networkError ? <p className="text-xs">{error.message}</p> : null}
      {result.type === "server" && error && isLocalTarget(result.url) ? (
        <p className="text-xs">
          The server tried its own loopback address, not your machine&apos;s: use Send from browser for a local server on your machine.
        </p>
      ) : null}
      {outcome ? <BrowserNotes outcome={outcome} url={result.url} method={method} /> : null}
      {result.type === "browser" ? (
        result.recordError ? (
          <p className="text-xs text-rose-700 dark:text-rose-300">Could not record this attempt: {result.recordError}</p>
        ) : (
          <p className="text-xs opacity-80">Recorded as a browser attempt below.</p>
        )
      ) : null}
    </div>
  );
}

function BrowserNotes({ outcome, url, method }: { outcome: BrowserReplayOutcome; url: string; method: string }) {
  const [origin] = useState(() => (typeof window === "undefined" ? "" : window.location.origin));
  return (
    <div className="space-y-1 text-xs">
      {outcome.networkError ? (
        <div data-testid="cors-explanation" className="space-y-1">
          <p className="font-medium">The browser could not complete the request.</p>
          <p>
            A page cannot tell a CORS refusal from a target that is not running: both end as a network error (the browser console names the
            real cause). A browser sends a replay from this page only if the target allows this page&apos;s origin{" "}
            <span className="font-mono">{origin}</span>. On the target:
          </p>
          <ul className="list-disc space-y-0.5 pl-5">
            {corsAdvice(url, origin, method, outcome.report.request.headers).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {outcome.dropped.length ? (
        <p>
          Left out by the browser —{" "}
          {groupDropped(outcome.dropped).map(([reason, names], i) => (
            <span key={reason}>
              {i ? "; " : ""}
              {reason}: <span className="font-mono">{names.join(", ")}</span>
            </span>
          ))}
          . Use Send from server for an exact replay.
        </p>
      ) : null}
      {outcome.combined.length ? <p>Repeated headers were sent once with their values joined: {outcome.combined.join(", ")}.</p> : null}
      {outcome.bodyDropped ? <p>A {method} request from a browser cannot carry a body, so the body was left out.</p> : null}
      {outcome.requestBodyCut ? <p>The attempt records the first 1 MiB of the request body.</p> : null}
    </div>
  );
}

function groupDropped(dropped: DroppedHeader[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const d of dropped) groups.set(droppedReason(d), [...(groups.get(droppedReason(d)) ?? []), d.name]);
  return [...groups];
}
