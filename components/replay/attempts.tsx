"use client";
// The attempts of one capture (server replays, browser replays, forwards), newest first: kind,
// time, target, status or error, duration. Open one to see the exact request sent and the response;
// tick two to compare their responses. Values come masked like the capture; a member can reveal one
// attempt (audited). Everything is rendered as text.
import { useMemo, useState } from "react";
import useSWRInfinite from "swr/infinite";
import { errorMessage, fetchJson } from "../inspector/api";
import { BUTTON, DATA_TABLE_FRAME, DATA_TH, DATA_THEAD } from "../ui/classes";
import { relativeTime } from "../inspector/format";
import { useNow } from "../inspector/use-now";
import { attemptPagesKey, type AttemptPage } from "./replay-api";
import { formatDuration } from "./replay-helpers";
import { AttemptOutcome, KindChip } from "./attempt-chips";
import { AttemptDetail, ResponseDiffPanel } from "./attempt-detail";
type Pane = { type: "attempt"; id: string } | { type: "diff"; a: string; b: string } | null;

/** The attempts table's columns; the first and last are controls, named for screen readers only. */
const COLUMNS: { label: string; hidden?: boolean; className?: string }[] = [
  { label: "Compare", hidden: true, className: "w-8" },
  { label: "Kind" },
  { label: "Time" },
  { label: "Target" },
  { label: "Result" },
  { label: "Duration", className: "text-right" },
  { label: "Open", hidden: true },
];

export function AttemptsSection({
  captureId,
  canReveal,
  pane,
  onPane,
}: {
  captureId: string;
  canReveal: boolean;
  pane: Pane;
  onPane(p: Pane): void;
}) {
  // Newest 50 first; "Load older attempts" follows nextBefore (a capture forwarded with retries can have many).
  const list = useSWRInfinite<AttemptPage>(attemptPagesKey(captureId), fetchJson, { revalidateOnFocus: false, revalidateFirstPage: true });
  const [selected, setSelected] = useState<string[]>([]);
  const now = useNow();
  const attempts = useMemo(() => list.data?.flatMap((p) => p.attempts) ?? [], [list.data]);
  const last = list.data?.[list.data.length - 1];
  const loadingMore = list.isValidating && list.data !== undefined && list.data.length < list.size;
  const byId = useMemo(() => new Map(attempts.map((a) => [a.id, a])), [attempts]);
  const chosen = selected.filter((id) => byId.has(id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => (on ? [...s.filter((x) => x !== id), id].slice(-2) : s.filter((x) => x !== id)));
  const comparable = chosen.length === 2 && chosen.every((id) => byId.get(id)?.response);

  function compare() {
    // Older one first, so the diff reads "what changed since".
    const [x, y] = [...chosen].sort((p, q) => (byId.get(p)!.createdAt < byId.get(q)!.createdAt ? -1 : p < q ? -1 : 1)) as [string, string];
    onPane({ type: "diff", a: x, b: y });
  }

  return (
    <div className="space-y-2" data-testid="attempts">
      <div className="flex flex-wrap items-center gap-2">
        <h4 className="text-sm font-semibold">Attempts{last ? ` (${attempts.length}${last.nextBefore ? "+" : ""})` : ""}</h4>
        <span className="text-xs text-zinc-500">Replays from the server and the browser, and forwards of this capture.</span>
        <div className="ml-auto flex gap-2">
          <button type="button" className={BUTTON} onClick={() => void list.mutate()}>
            Refresh
          </button>
          <button
            type="button"
            className={BUTTON}
            disabled={!comparable}
            onClick={compare}
            title={
              chosen.length < 2 ? "Tick two attempts to compare their responses" : comparable ? undefined : "Both attempts need a response"
            }
          >
            Compare responses{chosen.length ? ` (${chosen.length}/2)` : ""}
          </button>
        </div>
      </div>
      {list.error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          Could not load the attempts: {errorMessage(list.error)}
        </p>
      ) : !list.data ? (
        <p className="text-xs text-zinc-500">Loading attempts…</p>
      ) : attempts.length === 0 ? (
        <p className="text-xs text-zinc-500">No attempts yet.</p>
      ) : (
        <div className={DATA_TABLE_FRAME}>
          <table aria-label="Attempts" className="w-full border-collapse text-left text-xs">
            <thead className={DATA_THEAD}>
              <tr>
                {COLUMNS.map(({ label, hidden, className }) => (
                  <th key={label} scope="col" className={className ? `${className} ${DATA_TH}` : DATA_TH}>
                    {hidden ? <span className="sr-only">{label}</span> : label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {attempts.map((a, i) => {
                const open = pane?.type === "attempt" && pane.id === a.id;
                const label = `attempt ${attempts.length - i}`;
                return (
                  <tr
                    key={a.id}
                    data-testid="attempt-row"
                    data-attempt-id={a.id}
                    className={`border-t border-zinc-100 align-middle dark:border-zinc-900 ${open ? "bg-indigo-50/60 dark:bg-indigo-950/30" : ""}`}
                  >
                    <td className="px-2 py-1">
                      <input
                        type="checkbox"
                        aria-label={`Compare ${label}`}
                        checked={chosen.includes(a.id)}
                        onChange={(e) => toggle(a.id, e.target.checked)}
                      />
                    </td>
                    <td className="px-2 py-1">
                      <KindChip kind={a.kind} />
                      {a.kind === "forward" && a.attemptNo > 1 ? (
                        <span className="ml-1 text-[11px] text-zinc-500">try {a.attemptNo}</span>
                      ) : null}
                    </td>
                    <td className="whitespace-nowrap px-2 py-1 text-zinc-600 dark:text-zinc-400" title={a.createdAt}>
                      {relativeTime(Date.parse(a.createdAt), now)}
                    </td>
                    <td className="max-w-[18rem] px-2 py-1 font-mono">
                      <span className="block truncate" title={`${a.request.method} ${a.request.url}`}>
                        <span className="font-semibold">{a.request.method}</span> {a.request.url}
                      </span>
                    </td>
                    <td className="px-2 py-1">
                      <AttemptOutcome attempt={a} />
                    </td>
                    <td className="whitespace-nowrap px-2 py-1 text-right font-mono text-zinc-600 dark:text-zinc-400">
                      {a.response ? formatDuration(a.response.durationMs) : "—"}
                    </td>
                    <td className="px-2 py-1 text-right">
                      <button
                        type="button"
                        className={`${BUTTON} px-2 py-0.5`}
                        aria-expanded={open}
                        aria-label={`${open ? "Close" : "Open"} ${label}`}
                        onClick={() => onPane(open ? null : { type: "attempt", id: a.id })}
                      >
                        {open ? "Close" : "Open"}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {last?.nextBefore ? (
        <button type="button" className={BUTTON} disabled={loadingMore} onClick={() => void list.setSize(list.size + 1)}>
          {loadingMore ? "Loading…" : "Load older attempts"}
        </button>
      ) : null}
      {pane?.type === "attempt" ? <AttemptDetail key={pane.id} id={pane.id} canReveal={canReveal} onClose={() => onPane(null)} /> : null}
      {pane?.type === "diff" ? <ResponseDiffPanel key={`${pane.a}:${pane.b}`} a={pane.a} b={pane.b} onClose={() => onPane(null)} /> : null}
    </div>
  );
}

export type { Pane as AttemptsPane };
