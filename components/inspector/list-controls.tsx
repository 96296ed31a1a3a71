"use client";
// Above the capture list: the filter (method, path, text in headers/body, applied by the API and
// to live arrivals), "Follow newest" and "Pause" (live captures wait, counted, until resumed).
import { forwardRef, useEffect, useId, useRef, useState } from "react";
import type { CaptureFilter } from "@/lib/capture/filter";
import type { CaptureFeed } from "./use-capture-feed";
import { INPUT_SMALL } from "../ui/classes";

export const FILTER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

const FIELD = INPUT_SMALL;
const TOGGLE = "rounded-md border px-2 py-1 text-xs font-medium";
const ON = "border-indigo-500 bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200";
const OFF = "border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800";

/** Calls `commit` with `value` once it has been stable for `ms`. */
function useDebounced(value: string, commit: (v: string) => void, ms = 250) {
  const latest = useRef(commit);
  latest.current = commit;
  useEffect(() => {
    const t = setTimeout(() => latest.current(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
}

interface Props {
  filter: CaptureFilter;
  onFilterChange(next: CaptureFilter): void;
  feed: CaptureFeed;
  follow: boolean;
  onFollowChange(next: boolean): void;
}

export const ListControls = forwardRef<HTMLInputElement, Props>(function ListControls(
  { filter, onFilterChange, feed, follow, onFollowChange },
  pathRef,
) {
  const id = useId();
  const [path, setPath] = useState(filter.path ?? "");
  const [q, setQ] = useState(filter.q ?? "");
  useDebounced(path, (v) => v !== (filter.path ?? "") && onFilterChange({ ...filter, path: v }));
  useDebounced(q, (v) => v !== (filter.q ?? "") && onFilterChange({ ...filter, q: v }));
  const blurOnEscape = (e: React.KeyboardEvent<HTMLInputElement | HTMLSelectElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.currentTarget.blur();
    }
  };

  return (
    <div role="toolbar" aria-label="List controls" className="space-y-1.5 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <search className="flex items-center gap-1.5">
        <label htmlFor={`${id}-method`} className="sr-only">
          Filter by method
        </label>
        <select
          id={`${id}-method`}
          className={`${FIELD} w-28 shrink-0`}
          value={filter.method ?? ""}
          onChange={(e) => onFilterChange({ ...filter, method: e.target.value || undefined })}
          onKeyDown={blurOnEscape}
        >
          <option value="">All methods</option>
          {FILTER_METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-path`} className="sr-only">
          Filter by path
        </label>
        <input
          ref={pathRef}
          id={`${id}-path`}
          type="search"
          className={`${FIELD} w-0 flex-1 font-mono`}
          placeholder="Path contains… ( / )"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={blurOnEscape}
          spellCheck={false}
          autoCapitalize="off"
        />
        <label htmlFor={`${id}-q`} className="sr-only">
          Search headers and body
        </label>
        <input
          id={`${id}-q`}
          type="search"
          className={`${FIELD} w-0 flex-1`}
          placeholder="Headers or body…"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={blurOnEscape}
          spellCheck={false}
          autoCapitalize="off"
        />
      </search>
      <div className="flex items-center gap-1.5">
        <button type="button" aria-pressed={follow} className={`${TOGGLE} ${follow ? ON : OFF}`} onClick={() => onFollowChange(!follow)}>
          Follow newest
        </button>
        <button
          type="button"
          aria-pressed={feed.paused}
          className={`${TOGGLE} ${feed.paused ? ON : OFF}`}
          onClick={() => feed.setPaused(!feed.paused)}
        >
          {feed.paused ? "Resume" : "Pause"}
        </button>
        <span role="status" aria-live="polite" className="text-xs text-zinc-500">
          {feed.paused ? (feed.pendingCount ? `${feed.pendingCount.toLocaleString()} new while paused` : "Paused") : null}
        </span>
        <span className="ml-auto hidden text-[11px] text-zinc-400 sm:inline" aria-hidden>
          j/k to move
        </span>
      </div>
    </div>
  );
});
