"use client";
// Shares the endpoint page's capture feed between the list and the detail pane (so deleting in
// the detail removes the row without a refetch), and says where this view reads from (the
// dashboard API or a share link's) and how it selects a capture.
import { useParams, usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useMemo, useState } from "react";
import { dashboardApi, type InspectorApi } from "./api";
import type { CaptureFeed } from "./use-capture-feed";

export const InspectorContext = createContext<CaptureFeed | null>(null);

export function useInspector(): CaptureFeed | null {
  return useContext(InspectorContext);
}

export interface InspectorView {
  api: InspectorApi;
  /** The capture shown in the detail pane, if any. */
  selectedId: string | null;
  /** Opens a page of this view (a capture, or the list): a route change on the dashboard; on a
   *  share link only the address changes, so moving around is not another (counted) page open. */
  go(href: string, opts?: { replace?: boolean }): void;
  /** The search (HQL) over the list: the address's ?q= on the dashboard, so a link or a reload keeps it. */
  query: string;
  setQuery(query: string): void;
}

/** `href` with `?q=` (the search follows the user from the list into a capture and back). */
function withQuery(href: string, query: string): string {
  if (!query) return href;
  return `${href}${href.includes("?") ? "&" : "?"}${new URLSearchParams({ q: query })}`;
}

const ViewContext = createContext<InspectorView | null>(null);

export function useInspectorView(): InspectorView {
  const view = useContext(ViewContext);
  if (!view) throw new Error("useInspectorView needs a DashboardViewProvider or a ShareViewProvider");
  return view;
}

export function DashboardViewProvider({ endpointId, children }: { endpointId: string; children: React.ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useParams<{ captureId?: string }>();
  const query = useSearchParams().get("q") ?? "";
  const base = useMemo(() => dashboardApi(endpointId), [endpointId]);
  const api = useMemo(
    () => ({ ...base, captureHref: (id: string) => withQuery(base.captureHref(id), query), listHref: withQuery(base.listHref, query) }),
    [base, query],
  );
  const selectedId = params.captureId ? decodeURIComponent(params.captureId) : null;
  const go = useCallback(
    (href: string, opts?: { replace?: boolean }) => (opts?.replace ? router.replace(href) : router.push(href)),
    [router],
  );
  const setQuery = useCallback(
    (next: string) => router.replace(withQuery(pathname, next.trim() ? next : ""), { scroll: false }),
    [router, pathname],
  );
  const value = useMemo(() => ({ api, selectedId, go, query, setQuery }), [api, selectedId, go, query, setQuery]);
  return <ViewContext.Provider value={value}>{children}</ViewContext.Provider>;
}

/** A share link's page: the selected capture is `?c=<id>`, changed with the History API. */
export function ShareViewProvider({ api, children }: { api: InspectorApi; children: React.ReactNode }) {
  const search = useSearchParams();
  const selectedId = search.get("c");
  const go = useCallback((href: string, opts?: { replace?: boolean }) => {
    if (opts?.replace) window.history.replaceState(null, "", href);
    else window.history.pushState(null, "", href);
  }, []);
  const [query, setQuery] = useState("");
  const value = useMemo(() => ({ api, selectedId, go, query, setQuery }), [api, selectedId, go, query]);
  return <ViewContext.Provider value={value}>{children}</ViewContext.Provider>;
}
