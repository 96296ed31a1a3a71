// The browser's one way to call the JSON API: API errors ({ error: { code, message, issues? } }) become
// ApiError with the server's readable message and, for a 422 invalid_request, one issue per field.
// Used by the account pages and the inspector.

/** One validation problem as a 422 names it: the path from the body's root (keys and indexes), and what is wrong. */
export interface ApiIssue {
  path: (string | number)[];
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
    /** Everything else the error object carried (e.g. an invalid query's position, end and suggestions). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The validation issues of an error (none unless it is an ApiError from a 422). */
export function issuesOf(err: unknown): readonly ApiIssue[] {
  return err instanceof ApiError ? err.issues : [];
}

function readIssues(value: unknown): ApiIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((i: { path?: unknown; message?: unknown }) =>
    Array.isArray(i?.path) && typeof i.message === "string"
      ? [{ path: i.path.filter((k): k is string | number => typeof k === "string" || typeof k === "number"), message: i.message }]
      : [],
  );
}

/** The ApiError for a response that is not ok. */
export async function apiFailure(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; issues?: unknown } };
    const { code, message, issues, ...details } = body.error ?? {};
    return new ApiError(res.status, code ?? "http_error", message ?? `HTTP ${res.status}`, readIssues(issues), details);
  } catch {
    return new ApiError(res.status, "http_error", `The server answered HTTP ${res.status}.`);
  }
}

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!res.ok) throw await apiFailure(res);
  return (await res.json()) as T;
}

/** A same-origin state change with a JSON body (none when `body` is undefined); the parsed answer, undefined for 204. */
export async function sendJson<T = undefined>(method: "POST" | "PUT" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await apiFailure(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}
