"use client";
// The endpoint's captures, newest first, virtualized: only the rows in view are in the DOM, and
// older pages load from the API as the user scrolls towards the end.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { errorMessage } from "./api";
import { CaptureRow, ROW_HEIGHT } from "./capture-row";
import type { CaptureFeed } from "./use-capture-feed";
import { useNow } from "./use-now";

export function CaptureList({ endpointId, feed }: { endpointId: string; feed: CaptureFeed }) {
  const params = useParams<{ captureId?: string }>();
  const selectedId = params.captureId ? decodeURIComponent(params.captureId) : null;
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

  if (feed.error && items.length === 0) {
    return (
      <p role="alert" className="p-4 text-sm text-rose-600 dark:text-rose-400">
        Could not load captures: {errorMessage(feed.error)}
      </p>
    );
  }
  if (feed.loading) return <p className="p-4 text-sm text-zinc-500">Loading captures…</p>;
  if (items.length === 0) {
    return (
      <p className="p-4 text-sm text-zinc-500">
        No captures yet. Send a request to the capture URL; it appears here as soon as it is stored.
      </p>
    );
  }

  return (
    <div ref={scrollRef} className="h-full overflow-auto overscroll-contain" data-testid="capture-list-scroll">
      <div role="list" aria-label="Captures" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const capture = items[row.index];
          return (
            <div
              key={row.key}
              role="listitem"
              className="absolute left-0 top-0 w-full"
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
            >
              {capture ? (
                <CaptureRow
                  capture={capture}
                  href={`/e/${encodeURIComponent(endpointId)}/c/${encodeURIComponent(capture.id)}`}
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
