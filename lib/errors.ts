/** A failure the API reports as `{ error: { code, message } }` with `status`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Sent as Retry-After (seconds) with a 429 or 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const notFound = (what = "resource") => new AppError(404, "not_found", `No such ${what}.`);
export const invalid = (message: string) => new AppError(422, "invalid_request", message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
