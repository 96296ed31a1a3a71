"use client";
// The capture list's data: pages from GET /api/endpoints/:id/captures (SWR infinite, paged with
// `before`) plus an EventSource that pushes new captures into the first page of the same SWR cache.
// The stream starts after the newest loaded capture and EventSource resumes with Last-Event-ID.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import useSWRInfinite from "swr/infinite";
import { fetchJson, type CapturePage, type CaptureSummary } from "./api";
import { flattenPages, mergeIntoFirstPage, newestSeq, removeCapture } from "./helpers/merge-captures";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

const PAGE_SIZE = 100;
const RETRY_MS = 3000;
const HIGHLIGHT_MS = 4000;

export interface CaptureFeed {
  items: CaptureSummary[];
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  connection: ConnectionState;
  /** Arrival time (ms) of captures delivered by the live stream, for the new-arrival highlight. */
  arrivals: ReadonlyMap<string, number>;
  remove(id: string): void;
}

export function useCaptureFeed(endpointId: string): CaptureFeed {
  const base = `/api/endpoints/${encodeURIComponent(endpointId)}/captures?limit=${PAGE_SIZE}`;
  const { data, error, size, setSize, mutate } = useSWRInfinite<CapturePage>(
    (index, previous: CapturePage | null) => {
      if (previous && previous.nextBefore === null) return null;
      return previous ? `${base}&before=${previous.nextBefore}` : base;
    },
    fetchJson,
    {
      revalidateFirstPage: false,
      revalidateOnFocus: false,
      revalidateOnReconnect: false,
      revalidateIfStale: false,
    },
  );

  const items = useMemo(() => flattenPages(data), [data]);
  const hasMore = !data || data[data.length - 1]?.nextBefore != null;
  const loadingMore = !error && size > 0 && (!data || data.length < size);
  const loadMore = useCallback(() => {
    if (hasMore && !loadingMore) void setSize((s) => s + 1);
  }, [hasMore, loadingMore, setSize]);

  const lastSeq = useRef(0);
  lastSeq.current = Math.max(lastSeq.current, newestSeq(data?.[0]?.captures ?? []));

  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [arrivals, setArrivals] = useState<ReadonlyMap<string, number>>(new Map());
  const loaded = data !== undefined;

  useEffect(() => {
    if (!loaded) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let buffer: CaptureSummary[] = [];

    const flush = () => {
      flushTimer = undefined;
      const batch = buffer;
      buffer = [];
      if (batch.length === 0) return;
      void mutate((pages) => (pages ? mergeIntoFirstPage(pages, batch) : pages), { revalidate: false });
      const now = Date.now();
      setArrivals((prev) => {
        const next = new Map<string, number>();
        for (const [id, at] of prev) if (now - at < HIGHLIGHT_MS) next.set(id, at);
        for (const c of batch) next.set(c.id, now);
        return next;
      });
    };

    const open = () => {
      const es = new EventSource(`/api/endpoints/${encodeURIComponent(endpointId)}/stream?lastEventId=${lastSeq.current}`);
      source = es;
      es.addEventListener("capture", (ev) => {
        let capture: CaptureSummary;
        try {
          capture = JSON.parse((ev as MessageEvent<string>).data) as CaptureSummary;
        } catch {
          return;
        }
        if (capture.seq > lastSeq.current) lastSeq.current = capture.seq;
        buffer.push(capture);
        flushTimer ??= setTimeout(flush, 50);
      });
      es.addEventListener("ready", () => setConnection("live"));
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) {
          // The server refused (e.g. 429 or 404): EventSource gives up, so retry ourselves.
          setConnection("offline");
          es.close();
          retry = setTimeout(open, RETRY_MS);
        } else {
          setConnection("reconnecting");
        }
      };
    };
    open();
    return () => {
      source?.close();
      clearTimeout(retry);
      clearTimeout(flushTimer);
    };
  }, [endpointId, loaded, mutate]);

  const remove = useCallback(
    (id: string) => void mutate((pages) => (pages ? removeCapture(pages, id) : pages), { revalidate: false }),
    [mutate],
  );

  return { items, error, loading: !data && !error, hasMore, loadingMore, loadMore, connection, arrivals, remove };
}
