"use client";
// The endpoint's captures, newest first, virtualized: only the rows in view are in the DOM, and
// older pages load from the API as the user scrolls towards the end.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef } from "react";
import useSWR from "swr";
import { errorMessage, fetchJson, type EndpointView } from "./api";
import { CaptureRow, ROW_HEIGHT } from "./capture-row";
import { CopyButton } from "../ui/copy-button";
import { curlExample } from "./curl-example";
import { useInspectorView } from "./inspector-context";
import type { CaptureFeed } from "./use-capture-feed";
import { useNow } from "./use-now";

/** Keys typed into a field, or while a dialog is open, are the user's, not the list's. */
function keyBelongsElsewhere(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return true;
  const t = e.target as HTMLElement | null;
  if (t && (t.isContentEditable || t.closest("input, textarea, select, [contenteditable='true']"))) return true;
  return Boolean(document.querySelector("dialog[open]"));
}

interface ListProps {
  feed: CaptureFeed;
  /** Jump to (and open) the newest arrival; otherwise keep the scroll position when captures arrive above. */
  follow?: boolean;
  /** Focused by "/". */
  filterInputRef?: React.RefObject<HTMLInputElement | null>;
  filtering?: boolean;
}

export function CaptureList({ feed, follow = false, filterInputRef, filtering = false }: ListProps) {
  const { api, selectedId, go } = useInspectorView();
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { items, hasMore, loadingMore, loadMore } = feed;
  const count = items.length + (hasMore ? 1 : 0);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => items[i]?.id ?? "more",
    useFlushSync: false,
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows[rows.length - 1]?.index ?? -1;

  useEffect(() => {
    if (!feed.loading && hasMore && !loadingMore && lastIndex >= items.length - 1) loadMore();
  }, [feed.loading, hasMore, loadingMore, lastIndex, items.length, loadMore]);

  const hrefOf = api.captureHref;
  // On a share link, opening a capture only changes the address (see ShareViewProvider).
  const onOpen = api.kind === "share" ? (id: string) => go(hrefOf(id)) : undefined;

  // Keyboard: j/k move the selection down/up (and open it), "/" focuses the filter.
  const keyState = useRef({ items, selectedId, hasMore, loadMore });
  keyState.current = { items, selectedId, hasMore, loadMore };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (keyBelongsElsewhere(e)) return;
      if (e.key === "/") {
        if (!filterInputRef?.current) return;
        e.preventDefault();
        filterInputRef.current.focus();
        return;
      }
      if (e.key !== "j" && e.key !== "k") return;
      const { items: list, selectedId: current, hasMore: more, loadMore: older } = keyState.current;
      if (list.length === 0) return;
      e.preventDefault();
      const at = current ? list.findIndex((c) => c.id === current) : -1;
      const next = at < 0 ? 0 : e.key === "j" ? at + 1 : at - 1;
      if (next < 0) return;
      if (next >= list.length) {
        if (more) older();
        return;
      }
      virtualizer.scrollToIndex(next, { align: "auto" });
      go(hrefOf(list[next]!.id));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hrefOf, filterInputRef, go, virtualizer]);

  // Follow newest: scroll to the top and open each new arrival.
  const followed = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on a new arrival only; a new hrefOf must not re-open the newest capture
  useEffect(() => {
    const newest = feed.latestArrival;
    if (!follow || !newest || followed.current === newest.id) return;
    followed.current = newest.id;
    scrollRef.current?.scrollTo({ top: 0 });
    go(hrefOf(newest.id), { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [follow, feed.latestArrival, go]);

  // Not following: captures arriving above must not move what the user is looking at (at the very
  // top the new rows simply appear).
  const firstId = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const previous = firstId.current;
    firstId.current = items[0]?.id ?? null;
    if (follow || !el || !previous || el.scrollTop < ROW_HEIGHT / 2) return;
    const shift = items.findIndex((c) => c.id === previous);
    if (shift > 0) el.scrollTop += shift * ROW_HEIGHT;
  }, [items, follow]);

  if (feed.error && items.length === 0) {
    return (
      <p role="alert" className="p-4 text-sm text-rose-600 dark:text-rose-400">
        Could not load captures: {errorMessage(feed.error)}
      </p>
    );
  }
  if (feed.loading) return <p className="p-4 text-sm text-zinc-500">Loading captures…</p>;
  if (items.length === 0) {
    if (filtering) {
      return (
        <p role="status" className="p-4 text-sm text-zinc-500">
          {hasMore ? "Searching older captures…" : "No captures match the filter."}
        </p>
      );
    }
    return <EmptyList />;
  }

  return (
    <div ref={scrollRef} className="h-full overflow-auto overscroll-contain" data-testid="capture-list-scroll">
      {/* biome-ignore lint/a11y/useSemanticElements: a virtualized list (rows absolutely positioned in a sized box); kept as divs so its layout is not touched */}
      <div role="list" aria-label="Captures" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const capture = items[row.index];
          return (
            // biome-ignore lint/a11y/useSemanticElements: a virtualized row (absolutely positioned), see the list above
            <div
              key={row.key}
              role="listitem"
              className="absolute left-0 top-0 w-full"
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
            >
              {capture ? (
                <CaptureRow
                  capture={capture}
                  href={hrefOf(capture.id)}
                  onOpen={onOpen}
                  selected={capture.id === selectedId}
                  fresh={feed.arrivals.has(capture.id)}
                  now={now}
                />
              ) : (
                <p className="flex h-full items-center justify-center text-xs text-zinc-500">
                  {feed.error ? `Could not load older captures: ${errorMessage(feed.error)}` : "Loading older captures…"}
                </p>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** No captures yet: how to send the first one (a share link only waits for them). */
function EmptyList() {
  const { api } = useInspectorView();
  const { data: endpoint } = useSWR<EndpointView>(api.endpoint, fetchJson);
  if (api.kind === "share") {
    return <p className="p-4 text-sm text-zinc-500">No captures yet. New ones appear here as they arrive.</p>;
  }
  return (
    <div className="space-y-3 p-4 text-sm text-zinc-500">
      <p>No captures yet. Send a request to the capture URL; it appears here as soon as it is stored.</p>
      {endpoint ? (
        <div className="relative">
          {/* biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element */}
          <pre
            role="figure"
            aria-label="Example request"
            className="overflow-x-auto rounded-md bg-zinc-100 p-3 pr-16 text-xs text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200"
          >
            {curlExample(endpoint.url)}
          </pre>
          <CopyButton text={curlExample(endpoint.url)} label="Copy" className="absolute right-2 top-2 bg-white dark:bg-zinc-950" />
        </div>
      ) : null}
    </div>
  );
}
