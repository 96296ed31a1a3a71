"use client";
// Shares the endpoint page's capture feed between the list and the detail pane (so deleting in
// the detail removes the row without a refetch), and says where this view reads from (the
// dashboard API or a share link's) and how it selects a capture.
import { useParams, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useMemo } from "react";
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
}

const ViewContext = createContext<InspectorView | null>(null);

export function useInspectorView(): InspectorView {
  const view = useContext(ViewContext);
  if (!view) throw new Error("useInspectorView needs a DashboardViewProvider or a ShareViewProvider");
  return view;
}

export function DashboardViewProvider({ endpointId, children }: { endpointId: string; children: React.ReactNode }) {
  const router = useRouter();
  const params = useParams<{ captureId?: string }>();
  const api = useMemo(() => dashboardApi(endpointId), [endpointId]);
  const selectedId = params.captureId ? decodeURIComponent(params.captureId) : null;
  const go = useCallback(
    (href: string, opts?: { replace?: boolean }) => (opts?.replace ? router.replace(href) : router.push(href)),
    [router],
  );
  const value = useMemo(() => ({ api, selectedId, go }), [api, selectedId, go]);
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
  const value = useMemo(() => ({ api, selectedId, go }), [api, selectedId, go]);
  return <ViewContext.Provider value={value}>{children}</ViewContext.Provider>;
}
