"use client";
// /w/<id>: search every endpoint of a workspace the caller may read (GET /api/workspaces/:id/captures?q=).
// The same search bar as the inspector's (highlighting, autocomplete, inline error), the query kept
// in the address (?q=, so a saved view's URL opens here), the results newest first with their
// endpoint's name, and the workspace's saved views beside them.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef } from "react";
import { errorMessage } from "../inspector/api";
import { HINT } from "../ui/classes";
import { SavedViews } from "./saved-views";
import { SearchBar } from "./search-bar";
import { queryProblemOf, workspaceViewsKey } from "./search-api";
import { useWorkspaceFieldNames, useWorkspaceSearch } from "./use-workspace-search";
import { WorkspaceResults } from "./workspace-results";

interface Props {
  workspaceId: string;
  /** Members and up save and change views (the API checks again). */
  canEditViews: boolean;
}

export function WorkspaceSearch({ workspaceId, canEditViews }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams().get("q") ?? "";
  const q = query.trim();
  const setQuery = useCallback(
    (next: string) => router.replace(next.trim() ? `${pathname}?${new URLSearchParams({ q: next })}` : pathname, { scroll: false }),
    [router, pathname],
  );
  const search = useWorkspaceSearch(workspaceId, q);
  const names = useWorkspaceFieldNames(workspaceId);
  const problem = queryProblemOf(search.error);

  // "/" focuses the bar, as on the inspector.
  const bar = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
      if (e.key === "/" && !typing) {
        e.preventDefault();
        bar.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div className="grid gap-4 md:grid-cols-[1fr_16rem]">
      <section aria-label="Workspace search" className="min-w-0 space-y-3">
        <search>
          <SearchBar
            ref={bar}
            query={query}
            onQueryChange={setQuery}
            names={names}
            serverProblem={problem}
            scope={`workspace:${workspaceId}`}
          />
        </search>
        <p className={HINT}>
          Every endpoint of this workspace you can read, newest first. Narrow with{" "}
          <code className="font-mono">endpoint:&lt;alias or id&gt;</code>.
        </p>
        {search.error && !problem ? (
          <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            Could not search: {errorMessage(search.error)}
          </p>
        ) : search.loading ? (
          <p className="text-sm text-zinc-500">Searching…</p>
        ) : search.captures.length === 0 && !problem ? (
          <p className="rounded-md border border-dashed border-zinc-300 px-3 py-4 text-center text-sm text-zinc-500 dark:border-zinc-700">
            {q ? "No captures match." : "No captures in this workspace yet."}
          </p>
        ) : (
          <WorkspaceResults
            captures={search.captures}
            hasMore={search.hasMore}
            loadingMore={search.loadingMore}
            onLoadOlder={search.loadOlder}
          />
        )}
      </section>
      <aside className="space-y-1.5">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Workspace views</h2>
        <SavedViews viewsUrl={workspaceViewsKey(workspaceId)} query={q} onOpen={setQuery} canEdit={canEditViews} />
      </aside>
    </div>
  );
}
