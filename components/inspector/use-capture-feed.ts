"use client";
// The capture list's data: pages from GET /api/endpoints/:id/captures or a share link's
// /api/share/<token>/captures (SWR infinite, paged with `before`) plus an EventSource that pushes
// new captures into the first page of the same SWR cache. The stream starts after the newest loaded
// capture and EventSource resumes with Last-Event-ID.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSWRConfig } from "swr";
import useSWRInfinite from "swr/infinite";
import { filterParams, matchesSummary, normalizeFilter, type CaptureFilter } from "@/lib/capture/filter";
import { ApiError, fetchJson, type CapturePage, type CaptureSummary, type InspectorApi } from "./api";
import { dropCachedLists, infiniteKeyOf } from "./list-cache";
import { flattenPages, mergeIntoFirstPage, newestSeq, removeCapture } from "./merge-captures";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

const PAGE_SIZE = 100;
/** Older pages are bigger: scrolling far back (10,000+ captures) needs fewer round trips. */
const OLDER_PAGE_SIZE = 500;
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
  /** Empties the list (after DELETE /api/endpoints/:id/captures). */
  clear(): void;
  /** While paused, live captures wait in `pending` instead of entering the list. */
  paused: boolean;
  setPaused(paused: boolean): void;
  pendingCount: number;
  /** Live arrivals the search did not match since it was applied ("12 new, not matching"). */
  notMatchingCount: number;
  /** The newest capture the live stream put into the list (for "follow newest"). */
  latestArrival: { id: string; seq: number } | null;
  /** The list answers 404 now (the endpoint was deleted, or the share link revoked or expired). */
  gone: boolean;
  /** Refetches the loaded pages (e.g. after signature secrets changed the statuses). */
  refresh(): void;
  /**
   * After a change to many captures (a delete by query): drops every cached page of this list under
   * every query (the unfiltered one included), so each is fetched again when shown, and refetches
   * the loaded pages.
   */
  invalidateAll(): Promise<void>;
}

/**
 * Keeps the live captures that pass the list filter. Method and path are answered by the summary;
 * text in headers/body (`q`) needs the server: one filtered page just above the batch's newest
 * sequence tells which of the arrivals match.
 */
async function filterArrivals(listUrl: string, filter: CaptureFilter | null, batch: CaptureSummary[]): Promise<CaptureSummary[]> {
  if (!filter) return batch;
  const candidates = batch.filter((c) => matchesSummary(filter, c));
  if (!filter.q || candidates.length === 0) return candidates;
  const top = Math.max(...candidates.map((c) => c.seq));
  const bottom = Math.min(...candidates.map((c) => c.seq));
  const matched = new Set<number>();
  let before: number | null = top + 1;
  while (before !== null && before > bottom) {
    const page: CapturePage = await fetchJson<CapturePage>(`${listUrl}&limit=500&before=${before}`);
    for (const c of page.captures) matched.add(c.seq);
    if (page.captures.some((c) => c.seq <= bottom)) break;
    before = page.nextBefore;
  }
  return candidates.filter((c) => matched.has(c.seq));
}

export function useCaptureFeed(api: InspectorApi, filterInput: CaptureFilter | null = null): CaptureFeed {
  const filterQuery = filterParams(filterInput);
  const listUrl = api.captures(filterQuery);
  // With a search, the stream marks each event `matches` (the server evaluates the query on it).
  const streamQ = filterInput?.q?.trim() ?? "";
  const streamUrl = useCallback(
    (lastSeq: number) => `${api.stream(lastSeq)}${streamQ ? `&${new URLSearchParams({ q: streamQ })}` : ""}`,
    [api.stream, streamQ],
  );
  const probeUrl = `${api.captures("")}limit=1`;
  const filterRef = useRef<{ filter: CaptureFilter | null; listUrl: string }>({ filter: null, listUrl });
  filterRef.current = { filter: filterInput ? normalizeFilter(filterInput) : null, listUrl };
  const { data, error, size, setSize, mutate, isValidating } = useSWRInfinite<CapturePage>(
    (_index, previous: CapturePage | null) => {
      if (previous && previous.nextBefore === null) return null;
      return previous ? `${listUrl}limit=${OLDER_PAGE_SIZE}&before=${previous.nextBefore}` : `${listUrl}limit=${PAGE_SIZE}`;
    },
    fetchJson,
    {
      revalidateFirstPage: false,
      revalidateOnFocus: false,
      revalidateOnReconnect: false,
      revalidateIfStale: false,
    },
  );

  // A list with nothing cached and nothing in flight fetches: after a bulk delete dropped the other queries'
  // pages, switching back to one of them could otherwise wait on its loading state (revalidateIfStale: false).
  useEffect(() => {
    if (data === undefined && error === undefined && !isValidating) void mutate();
  }, [data, error, isValidating, mutate]);

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
  const [latestArrival, setLatestArrival] = useState<{ id: string; seq: number } | null>(null);
  const [paused, setPausedState] = useState(false);
  const [gone, setGone] = useState(false);
  const [pending, setPending] = useState<CaptureSummary[]>([]);
  const [notMatching, setNotMatching] = useState({ q: streamQ, n: 0 });
  const countNotMatching = useCallback((q: string, n: number) => {
    if (n > 0) setNotMatching((prev) => ({ q, n: prev.q === q ? prev.n + n : n }));
  }, []);
  const pausedRef = useRef(false);
  const loaded = data !== undefined;

  /** Puts live captures into the list, with the new-arrival highlight. */
  const apply = useCallback(
    (batch: CaptureSummary[]) => {
      if (batch.length === 0) return;
      void mutate((pages) => (pages ? mergeIntoFirstPage(pages, batch) : pages), { revalidate: false });
      const now = Date.now();
      setArrivals((prev) => {
        const next = new Map<string, number>();
        for (const [id, at] of prev) if (now - at < HIGHLIGHT_MS) next.set(id, at);
        for (const c of batch) next.set(c.id, now);
        return next;
      });
      const newest = batch.reduce((a, b) => (b.seq > a.seq ? b : a));
      setLatestArrival((prev) => (prev && prev.seq >= newest.seq ? prev : { id: newest.id, seq: newest.seq }));
    },
    [mutate],
  );

  useEffect(() => {
    if (!loaded) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let buffer: CaptureSummary[] = [];
    /** Arrivals the stream already said match: no check needed. */
    let matched: CaptureSummary[] = [];
    let stopped = false;

    const flush = () => {
      flushTimer = undefined;
      const batch = buffer;
      const sure = matched;
      buffer = [];
      matched = [];
      if (batch.length === 0 && sure.length === 0) return;
      const { filter, listUrl: url } = filterRef.current;
      void filterArrivals(url, filter, batch).then(
        (checked) => {
          if (stopped) return;
          countNotMatching(streamQ, batch.length - checked.length);
          const kept = [...sure, ...checked];
          if (kept.length === 0) return;
          if (pausedRef.current) setPending((prev) => [...prev, ...kept]);
          else apply(kept);
        },
        () => {
          // The filtered check failed (e.g. offline): show the arrivals rather than lose them.
          if (stopped) return;
          const all = [...sure, ...batch];
          if (pausedRef.current) setPending((prev) => [...prev, ...all]);
          else apply(all);
        },
      );
    };

    const open = () => {
      const es = new EventSource(streamUrl(lastSeq.current));
      source = es;
      es.addEventListener("capture", (ev) => {
        let capture: CaptureSummary & { matches?: boolean };
        try {
          capture = JSON.parse((ev as MessageEvent<string>).data) as CaptureSummary & { matches?: boolean };
        } catch {
          return;
        }
        if (capture.seq > lastSeq.current) lastSeq.current = capture.seq;
        const { matches, ...summary } = capture;
        if (matches === false) countNotMatching(streamQ, 1);
        else if (matches === true) matched.push(summary);
        else buffer.push(summary);
        flushTimer ??= setTimeout(flush, 50);
      });
      es.addEventListener("ready", () => setConnection("live"));
      /** Stops this EventSource; retries later unless the list itself is a 404 now. */
      const stopAndProbe = () => {
        setConnection("offline");
        es.close();
        void fetchJson<CapturePage>(probeUrl).then(
          () => {
            if (!stopped) retry = setTimeout(open, RETRY_MS);
          },
          (err: unknown) => {
            if (stopped) return;
            if (err instanceof ApiError && err.status === 404) setGone(true);
            else retry = setTimeout(open, RETRY_MS);
          },
        );
      };
      // The server ended the stream because the access it was opened with ended (a revoked token,
      // a signed-out session, a removal): no automatic reconnect with the same credentials; the
      // probe tells whether the page still has access in its own right (e.g. after a claim).
      es.addEventListener("access_ended", stopAndProbe);
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) {
          // The server refused (e.g. 429 or 404): EventSource gives up, so retry ourselves, unless
          // the list itself is a 404 now (deleted endpoint, revoked or expired share link).
          stopAndProbe();
        } else {
          setConnection("reconnecting");
        }
      };
    };
    open();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(retry);
      clearTimeout(flushTimer);
    };
  }, [streamUrl, streamQ, probeUrl, loaded, apply, countNotMatching]);

  const remove = useCallback(
    (id: string) => void mutate((pages) => (pages ? removeCapture(pages, id) : pages), { revalidate: false }),
    [mutate],
  );

  const setPaused = useCallback(
    (next: boolean) => {
      pausedRef.current = next;
      setPausedState(next);
      if (!next) {
        setPending((held) => {
          if (held.length) queueMicrotask(() => apply(held));
          return [];
        });
      }
    },
    [apply],
  );

  const refresh = useCallback(() => void mutate(), [mutate]);

  const { cache, mutate: mutateCache } = useSWRConfig();
  const listPrefix = api.captures("");
  const firstPageKey = `${listUrl}limit=${PAGE_SIZE}`;
  const invalidateAll = useCallback(async () => {
    await dropCachedLists(cache, mutateCache, listPrefix, infiniteKeyOf(firstPageKey));
    await mutate();
  }, [cache, mutateCache, listPrefix, firstPageKey, mutate]);

  const clear = useCallback(() => {
    setPending([]);
    setLatestArrival(null);
    void mutate([{ captures: [], nextBefore: null }], { revalidate: false });
  }, [mutate]);

  return {
    items,
    error,
    loading: !data && !error,
    hasMore,
    loadingMore,
    loadMore,
    connection,
    arrivals,
    remove,
    clear,
    paused,
    setPaused,
    pendingCount: pending.length,
    notMatchingCount: notMatching.q === streamQ ? notMatching.n : 0,
    latestArrival,
    gone,
    refresh,
    invalidateAll,
  };
}
