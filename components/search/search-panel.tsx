"use client";
// Above the capture list: the search bar, the match count, how many live arrivals did not match,
// the saved views (a list that opens beside the bar) and "Delete matching". On a share link only
// the bar and the arrivals count are shown (no endpoint API behind it).
import { forwardRef, useMemo, useState } from "react";
import useSWR from "swr";
import { collectFieldNames, mergeFieldNames, type FieldNames } from "@/lib/search/field-names";
import { fetchJson, type EndpointView } from "../inspector/api";
import { useInspectorView } from "../inspector/inspector-context";
import { canManage } from "../inspector/role";
import type { CaptureFeed } from "../inspector/use-capture-feed";
import { BulkDeleteButton } from "./bulk-delete";
import { SavedViews } from "./saved-views";
import { SearchBar } from "./search-bar";
import { countKey, describeCount, fieldsKey, type MatchCount, queryProblemOf, viewsKey } from "./search-api";

const NO_NAMES: FieldNames = { headerNames: [], jsonPaths: [], queryNames: [] };
const TOGGLE = "rounded-md border px-2 py-1 text-xs font-medium";
const ON = "border-indigo-500 bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200";
const OFF = "border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800";

export const SearchPanel = forwardRef<HTMLInputElement, { feed: CaptureFeed }>(function SearchPanel({ feed }, ref) {
  const { api, query, setQuery } = useInspectorView();
  const endpointId = api.endpointId;
  const { data: endpoint } = useSWR<EndpointView>(api.endpoint, fetchJson);
  // Sampled again when the bar takes focus and captures arrived since the last sample (new names).
  const [sampleAt, setSampleAt] = useState(0);
  const { data: sampled } = useSWR<FieldNames>(endpointId ? `${fieldsKey(endpointId)}?at=${sampleAt}` : null, fetchJson, {
    revalidateOnFocus: false,
    keepPreviousData: true,
  });
  const q = query.trim();
  const count = useSWR<MatchCount>(endpointId && q ? countKey(endpointId, q) : null, fetchJson, { revalidateOnFocus: false });
  const [viewsOpen, setViewsOpen] = useState(false);

  // The names the API sampled, plus the query names of the captures the list already holds.
  const names = useMemo(
    () => mergeFieldNames(sampled ?? NO_NAMES, collectFieldNames(feed.items.map((c) => ({ headers: [], query: c.query })))),
    [sampled, feed.items],
  );
  const serverProblem = queryProblemOf(feed.error) ?? queryProblemOf(count.error);
  const editor = endpoint ? canManage(endpoint.role) : false;

  return (
    <div className="space-y-1.5 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <search className="flex items-start gap-1.5">
        <SearchBar
          ref={ref}
          query={query}
          onQueryChange={setQuery}
          names={names}
          serverProblem={serverProblem}
          scope={endpointId ?? api.listHref}
          onFocus={() => setSampleAt(feed.items[0]?.seq ?? 0)}
        />
        {endpointId ? (
          <button
            type="button"
            aria-pressed={viewsOpen}
            aria-expanded={viewsOpen}
            className={`${TOGGLE} ${viewsOpen ? ON : OFF} shrink-0`}
            onClick={() => setViewsOpen(!viewsOpen)}
          >
            Views
          </button>
        ) : null}
      </search>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500">
        {q && endpointId ? (
          <span data-testid="match-count" role="status" aria-live="polite">
            {count.data ? describeCount(count.data) : count.error ? "" : "Counting…"}
          </span>
        ) : null}
        {q && feed.notMatchingCount > 0 ? (
          <span data-testid="not-matching">{feed.notMatchingCount.toLocaleString()} new, not matching</span>
        ) : null}
        {endpointId && editor && q ? (
          <span className="ml-auto">
            <BulkDeleteButton
              endpointId={endpointId}
              query={q}
              onDeleted={() => {
                // Every cached page of this endpoint's list (other queries, the unfiltered list) is stale now.
                void feed.invalidateAll();
                void count.mutate();
              }}
            />
          </span>
        ) : null}
      </div>
      {endpointId && viewsOpen ? <SavedViews viewsUrl={viewsKey(endpointId)} query={q} onOpen={setQuery} canEdit={editor} /> : null}
    </div>
  );
});
