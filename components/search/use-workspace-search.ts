"use client";
// The workspace-wide search's data: pages of GET /api/workspaces/:id/captures?q= (newest first across
// the endpoints the caller may read, paged with `before`/nextBefore, "Load older"), and the field
// names for autocomplete, sampled from the workspace's endpoints (their /fields, at most a few).
import useSWR from "swr";
import useSWRInfinite from "swr/infinite";
import type { WorkspaceCapture } from "@/lib/search/capture-search";
import { type FieldNames, mergeFieldNames } from "@/lib/search/field-names";
import type { SearchPage } from "@/lib/search/service";
import { fetchJson } from "../api-client";
import { fieldsKey, workspaceCapturesKey } from "./search-api";

export type { WorkspaceCapture };
export type WorkspacePage = Omit<SearchPage, "captures"> & { captures: WorkspaceCapture[] };

const PAGE_SIZE = 50;
/** Endpoints sampled for autocomplete names (each is one small request). */
const SAMPLED_ENDPOINTS = 8;
const NO_NAMES: FieldNames = { headerNames: [], jsonPaths: [], queryNames: [] };

export function useWorkspaceSearch(workspaceId: string, q: string) {
  const base = workspaceCapturesKey(workspaceId);
  const filter = q ? `q=${encodeURIComponent(q)}&` : "";
  const { data, error, size, setSize, isLoading } = useSWRInfinite<WorkspacePage>(
    (_i, previous: WorkspacePage | null) => {
      if (previous && previous.nextBefore === null) return null;
      return `${base}?${filter}limit=${PAGE_SIZE}${previous ? `&before=${previous.nextBefore}` : ""}`;
    },
    fetchJson,
    { revalidateOnFocus: false, revalidateFirstPage: false },
  );
  const captures = data?.flatMap((p) => p.captures) ?? [];
  const hasMore = data !== undefined && data[data.length - 1]?.nextBefore != null;
  const loadingMore = !error && size > 0 && (!data || data.length < size);
  return {
    captures,
    error: error as unknown,
    loading: isLoading,
    hasMore,
    loadingMore,
    loadOlder: () => void setSize((s) => s + 1),
  };
}

async function sampleNames([, workspaceId]: readonly [string, string]): Promise<FieldNames> {
  const url = `/api/endpoints?workspaceId=${encodeURIComponent(workspaceId)}`;
  const { endpoints } = await fetchJson<{ endpoints: { id: string }[] }>(url);
  const samples = await Promise.all(
    endpoints.slice(0, SAMPLED_ENDPOINTS).map((e) => fetchJson<FieldNames>(fieldsKey(e.id)).catch(() => NO_NAMES)),
  );
  return samples.reduce(mergeFieldNames, NO_NAMES);
}

/** Header names, JSON paths and query names seen in the workspace's (first few) endpoints. */
export function useWorkspaceFieldNames(workspaceId: string): FieldNames {
  // Its own key: the endpoint list's key holds the list itself (workspace home).
  const { data } = useSWR(["workspace-field-names", workspaceId] as const, sampleNames, { revalidateOnFocus: false });
  return data ?? NO_NAMES;
}
