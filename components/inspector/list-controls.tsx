"use client";
// Above the capture list, under the search bar (components/search/): "Follow newest" and "Pause"
// (live captures wait, counted, until resumed).
import type { CaptureFeed } from "./use-capture-feed";

const TOGGLE = "rounded-md border px-2 py-1 text-xs font-medium";
const ON = "border-indigo-500 bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200";
const OFF = "border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800";

interface Props {
  feed: CaptureFeed;
  follow: boolean;
  onFollowChange(next: boolean): void;
}

export function ListControls({ feed, follow, onFollowChange }: Props) {
  return (
    <div
      role="toolbar"
      aria-label="List controls"
      className="flex items-center gap-1.5 border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800"
    >
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
        / search · j/k to move
      </span>
    </div>
  );
}
