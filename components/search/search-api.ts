// The search bar's API calls: saved views, the match count, the field names for autocomplete, and
// delete-by-query with its job. A 422 invalid_query becomes a QueryProblem the bar can place
// under the exact span.
import { ApiError, sendJson } from "../api-client";
import type { SavedViewData } from "@/lib/search/views";
import type { FieldNames } from "@/lib/search/field-names";
import type { JobView } from "@/lib/jobs/jobs";

export type { FieldNames, JobView, SavedViewData };

const e = (id: string) => `/api/endpoints/${encodeURIComponent(id)}`;

export const viewsKey = (endpointId: string) => `${e(endpointId)}/views`;
export const fieldsKey = (endpointId: string) => `${e(endpointId)}/fields`;
export const countKey = (endpointId: string, q: string) => `${e(endpointId)}/captures/count?${new URLSearchParams({ q })}`;
export const jobKey = (id: string) => `/api/jobs/${encodeURIComponent(id)}`;

/** A saved-views collection: viewsKey(endpointId) or workspaceViewsKey(workspaceId); the calls below take it. */
export const workspaceViewsKey = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}/views`;
export const workspaceCapturesKey = (workspaceId: string) => `/api/workspaces/${encodeURIComponent(workspaceId)}/captures`;

export const createView = (viewsUrl: string, input: { name: string; query: string }) => sendJson<SavedViewData>("POST", viewsUrl, input);

export const updateView = (viewsUrl: string, id: string, patch: { name?: string; query?: string }) =>
  sendJson<SavedViewData>("PATCH", `${viewsUrl}/${encodeURIComponent(id)}`, patch);

export const deleteView = (viewsUrl: string, id: string) => sendJson("DELETE", `${viewsUrl}/${encodeURIComponent(id)}`);

/** POST /api/endpoints/:id/captures/delete: a dry run counts, a real one deletes at once or starts a job. */
export type DeleteAnswer = { count: number; complete?: boolean } | { deleted: number } | { job: JobView };

/** GET …/captures/count: `complete` false when the server stopped counting at its bound (count is then a lower bound). */
export interface MatchCount {
  count: number;
  complete?: boolean;
}

/** "1,234 matches", or "at least 50,000 matches" for a bounded count. */
export function describeCount({ count, complete }: MatchCount, noun: [string, string] = ["match", "matches"]): string {
  return `${complete === false ? "at least " : ""}${count.toLocaleString()} ${count === 1 ? noun[0] : noun[1]}`;
}

export const deleteByQuery = (endpointId: string, q: string, dryRun: boolean) =>
  sendJson<DeleteAnswer>("POST", `${e(endpointId)}/captures/delete`, { q, dryRun });

/** POST /api/jobs/:id/cancel: the job stops after the batch in hand (its stream's `end` tells when). */
export const cancelJob = (id: string) => sendJson<{ job: JobView }>("POST", `${jobKey(id)}/cancel`);

/** Where a query is wrong, as the parser (in the browser) or the API's 422 says. */
export interface QueryProblem {
  message: string;
  /** [position, end) in the query text. */
  position: number;
  end: number;
  suggestions: string[];
}

/** The QueryProblem of a 422 invalid_query, else null. */
export function queryProblemOf(err: unknown): QueryProblem | null {
  if (!(err instanceof ApiError) || err.code !== "invalid_query") return null;
  const { position, end, suggestions } = err.details;
  const at = typeof position === "number" ? position : 0;
  return {
    message: err.message,
    position: at,
    end: typeof end === "number" ? end : at,
    suggestions: Array.isArray(suggestions) ? suggestions.filter((s): s is string => typeof s === "string") : [],
  };
}
