/** SQLite reports a lock held by another connection as SQLITE_BUSY / "database is locked". */
export function isBusyError(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${(err as { cause?: unknown }).cause ?? ""}` : String(err);
  return /SQLITE_BUSY|database is locked|SocketTimeout|timed out/i.test(text);
}
