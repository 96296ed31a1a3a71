// Browser-side access to the account, workspace, token and audit API. Every mutating request is a
// same-origin fetch with a JSON body; API errors ({ error: { code, message } }) become ApiError
// with the server's readable message.
import type { ApiTokenView } from "@/lib/accounts/api-tokens";
import type { AuditEntry } from "@/lib/audit/audit";
import type { Role } from "@/lib/auth/roles";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import type { RedactionRule } from "@/lib/redaction/rules";
import type { InviteView, MemberView, WorkspaceView } from "@/lib/workspaces/workspaces";

import { ApiError, fetchJson, sendJson as send } from "../api-client";

export type { ApiTokenView, AuditEntry, EndpointView, InviteView, MemberView, RedactionRule, Role, WorkspaceView };

export interface Me {
  kind: "user" | "token" | "anonymous" | "none";
  user: { id: string; email: string | null; name: string | null } | null;
  workspaces: WorkspaceView[];
  oauthProviders: { id: string; name: string }[];
  /** Endpoints this browser made anonymously and a signed-in user has not claimed yet. */
  anonymousEndpoints?: number;
}

export interface AuditPage {
  events: AuditEntry[];
  nextBefore: number | null;
}

export { ApiError, fetchJson };

/** POST / PUT / PATCH / DELETE with a JSON body (an empty object by default); the parsed answer (undefined for 204). */
export function sendJson<T = undefined>(method: "POST" | "PUT" | "PATCH" | "DELETE", url: string, body: unknown = {}): Promise<T> {
  return send<T>(method, url, body);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

const id = encodeURIComponent;

export const ME_KEY = "/api/me";
export const TOKENS_KEY = "/api/tokens";
export const WORKSPACES_KEY = "/api/workspaces";
export const workspaceKey = (w: string) => `/api/workspaces/${id(w)}`;
export const membersKey = (w: string) => `/api/workspaces/${id(w)}/members`;
export const invitesKey = (w: string) => `/api/workspaces/${id(w)}/invites`;
export const endpointsKey = (w?: string) => (w ? `/api/endpoints?workspaceId=${id(w)}` : "/api/endpoints");
export const auditKey = (w: string, before: number | null, action: string) => {
  const q = new URLSearchParams({ limit: "50" });
  if (before) q.set("before", String(before));
  if (action) q.set("action", action);
  return `/api/workspaces/${id(w)}/audit?${q}`;
};
