"use client";
// Small chips of an attempt: its kind, the response status, and the outcome (status or error).
import type { AttemptView } from "./replay-api";
import { kindLabel } from "./replay-helpers";

const KIND_TONE: Record<string, string> = {
  replay: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
  browser: "bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-300",
  forward: "bg-fuchsia-100 text-fuchsia-800 dark:bg-fuchsia-950 dark:text-fuchsia-300",
};

export function KindChip({ kind }: { kind: string }) {
  return <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${KIND_TONE[kind] ?? ""}`}>{kindLabel(kind)}</span>;
}

export function StatusChip({ status }: { status: number }) {
  const tone =
    status >= 500
      ? "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300"
      : status >= 400
        ? "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300"
        : status >= 300
          ? "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300"
          : "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
  return <span className={`rounded px-1.5 py-0.5 font-mono text-[11px] font-semibold ${tone}`}>{status}</span>;
}

export function AttemptOutcome({ attempt }: { attempt: Pick<AttemptView, "response" | "error"> }) {
  if (attempt.response) return <StatusChip status={attempt.response.status} />;
  if (attempt.error) {
    return (
      <span className="text-xs text-rose-700 dark:text-rose-400" title={attempt.error.message}>
        {attempt.error.code}
      </span>
    );
  }
  return <span className="text-xs text-zinc-500">—</span>;
}
