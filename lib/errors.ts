/**
 * The one error table: every code the API (and the capture door) answers with, and its one HTTP status. A code
 * means the same thing, with the same status, on every road; errors are built by code, so no throw site picks a
 * status of its own. A leaf module (no imports): route handlers, lib/ and the door thread all read it.
 */
export const ERROR_STATUS = {
  // 400: the request could not be read at all
  invalid_json: 400,
  invalid_callback_url: 400,
  bad_request: 400,
  // 408, 431: the request did not arrive in time, or its header block is too large (the door, for Node's parser)
  request_timeout: 408,
  headers_too_large: 431,
  // 403: understood, and refused for this caller
  session_required: 403,
  cross_origin: 403,
  insufficient_role: 403,
  wrong_password: 403,
  signup_disabled: 403,
  // 404: no such thing (or not yours to see)
  not_found: 404,
  unknown_endpoint: 404,
  // 409: conflicts with what is stored
  alias_taken: 409,
  email_taken: 409,
  already_member: 409,
  no_password: 409,
  personal_workspace: 409,
  last_owner: 409,
  too_many_targets: 409,
  too_many_secrets: 409,
  not_cancellable: 409,
  view_name_taken: 409,
  // 413: the body is larger than this road accepts (the door, a replay request, a recorded browser attempt)
  body_too_large: 413,
  // 422: well-formed, but not valid here
  invalid_request: 422,
  /** An HQL query that does not parse: the answer carries position, end, expected and suggestions. */
  invalid_query: 422,
  not_replayable: 422,
  no_response: 422,
  unsupported_encoding: 422,
  decode_failed: 422,
  // 422: replay / forward egress refusals and failures (lib/net/egress-error.ts EgressErrorCode)
  invalid_target: 422,
  target_forbidden: 422,
  dns_failed: 422,
  connect_timeout: 422,
  timeout: 422,
  connection_refused: 422,
  connection_reset: 422,
  unreachable: 422,
  tls_failed: 422,
  too_many_redirects: 422,
  invalid_redirect: 422,
  aborted: 422,
  network_error: 422,
  // 429: slow down (sent with Retry-After)
  rate_limited: 429,
  too_many_attempts: 429,
  too_many_signups: 429,
  too_many_streams: 429,
  // 5xx
  internal: 500,
  unavailable: 502,
  storage_unavailable: 503,
  server_busy: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The codes whose status is `S` (e.g. `CodeWithStatus<409>` for `conflict`). */
export type CodeWithStatus<S extends number> = { [K in ErrorCode]: (typeof ERROR_STATUS)[K] extends S ? K : never }[ErrorCode];

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** A failure the API reports as `{ error: { code, message } }` with the code's status from ERROR_STATUS. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Sent as Retry-After (seconds) with a 429 or 503. */
    readonly retryAfterSeconds?: number,
    /** Machine-readable facts sent beside code and message (e.g. where a query failed to parse). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = "resource") => new AppError("not_found", `No such ${what}.`);
export const invalid = (message: string) => new AppError("invalid_request", message);
export const conflict = (code: CodeWithStatus<409>, message: string) => new AppError(code, message);
