// Browser-side access to the account, workspace, token and audit API. Every mutating request is a
// same-origin fetch with a JSON body; API errors ({ error: { code, message } }) become ApiError
// with the server's readable message.
import type { ApiTokenView } from "@/lib/accounts/api-tokens";
import type { AuditEntry } from "@/lib/audit/audit";
import type { Role } from "@/lib/auth/roles";
import type { EndpointView } from "@/lib/endpoints/endpoints";
import type { RedactionRule } from "@/lib/redaction/rules";
import type { InviteView, MemberView, WorkspaceView } from "@/lib/workspaces/workspaces";

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

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return new ApiError(res.status, body.error?.code ?? "http_error", body.error?.message ?? `HTTP ${res.status}`);
  } catch {
    return new ApiError(res.status, "http_error", `The server answered HTTP ${res.status}.`);
  }
}

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** POST / PATCH / DELETE with a JSON body; resolves to the parsed answer (undefined for 204). */
export async function sendJson<T = undefined>(method: "POST" | "PATCH" | "DELETE", url: string, body: unknown = {}): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
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
