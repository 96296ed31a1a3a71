"use client";
// The endpoint page frame: header with the capture URL and connection state, the live list, and
// the selected capture (children). Side by side from 1024 px, stacked below that. The same frame
// shows a shared endpoint (app/s/[token]) with the share banner as its header.
import Link from "next/link";
import { useMemo, useRef, useState } from "react";
import useSWR from "swr";
import { isFiltering, type CaptureFilter } from "@/lib/capture/filter";
import { SearchPanel } from "../search/search-panel";
import { ApiError, endpointKey, errorMessage, fetchJson, type EndpointView } from "./api";
import { CaptureList } from "./capture-list";
import { EndpointHeader } from "./endpoint-header";
import { DashboardViewProvider, InspectorContext, useInspectorView } from "./inspector-context";
import { ListControls } from "./list-controls";
import { useCaptureFeed, type CaptureFeed } from "./use-capture-feed";

export function InspectorShell({ endpointId, children }: { endpointId: string; children: React.ReactNode }) {
  return (
    <DashboardViewProvider endpointId={endpointId}>
      <DashboardInspector endpointId={endpointId}>{children}</DashboardInspector>
    </DashboardViewProvider>
  );
}

function DashboardInspector({ endpointId, children }: { endpointId: string; children: React.ReactNode }) {
  const { error: endpointError } = useSWR<EndpointView>(endpointKey(endpointId), fetchJson);
  if (endpointError) return <EndpointUnavailable error={endpointError} />;
  return (
    <InspectorFrame header={(feed) => <EndpointHeader endpointId={endpointId} connection={feed.connection} />}>{children}</InspectorFrame>
  );
}

/** Header, list (with its controls) and detail pane, for whichever view the context provides. */
export function InspectorFrame({
  header,
  gone,
  children,
}: {
  header: (feed: CaptureFeed) => React.ReactNode;
  /** Shown instead of everything once the list answers 404 (a share link revoked while open). */
  gone?: React.ReactNode;
  children: React.ReactNode;
}) {
  const { api, selectedId, query } = useInspectorView();
  const filter = useMemo<CaptureFilter>(() => ({ q: query }), [query]);
  const [follow, setFollow] = useState(false);
  const filterInput = useRef<HTMLInputElement>(null);
  const feed = useCaptureFeed(api, filter);
  const selected = Boolean(selectedId);
  if (gone && (feed.gone || (feed.error instanceof ApiError && feed.error.status === 404))) return <>{gone}</>;
  return (
    <InspectorContext.Provider value={feed}>
      <div className="flex min-h-dvh flex-col lg:h-dvh">
        {header(feed)}
        <div className="flex flex-col lg:min-h-0 lg:flex-1 lg:flex-row">
          <section
            aria-label="Capture list"
            className={`${selected ? "h-[38dvh]" : "h-[60dvh]"} flex shrink-0 flex-col border-b border-zinc-200 lg:h-auto lg:w-[26rem] lg:border-b-0 lg:border-r dark:border-zinc-800`}
          >
            <SearchPanel ref={filterInput} feed={feed} />
            <ListControls feed={feed} follow={follow} onFollowChange={setFollow} />
            <div className="min-h-0 flex-1">
              <CaptureList feed={feed} follow={follow} filterInputRef={filterInput} filtering={isFiltering(filter)} />
            </div>
          </section>
          <section aria-label="Capture detail" className="min-w-0 flex-1 lg:overflow-auto">
            {children}
          </section>
        </div>
      </div>
    </InspectorContext.Provider>
  );
}

/** The endpoint itself could not be loaded (deleted meanwhile, server down): say so plainly. */
function EndpointUnavailable({ error }: { error: unknown }) {
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <main className="mx-auto flex min-h-dvh max-w-lg flex-col justify-center gap-4 p-6">
      <h1 className="text-lg font-semibold">{missing ? "Endpoint not found" : "Could not load this endpoint"}</h1>
      <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
        {missing ? "This endpoint does not exist, was deleted, or is not shared with you." : errorMessage(error)}
      </p>
      <Link
        href="/"
        className="self-start rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900"
      >
        Create a new capture URL
      </Link>
    </main>
  );
}
