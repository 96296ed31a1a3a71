/** SQLite reports a lock held by another connection as SQLITE_BUSY / "database is locked". */
export function isBusyError(err: unknown): boolean {
  if (typeof err === "object" && err !== null && (err as { busy?: unknown }).busy === true) return true;
  const text = err instanceof Error ? `${err.message} ${(err as { cause?: unknown }).cause ?? ""}` : String(err);
  return /SQLITE_BUSY|database is locked/i.test(text);
}
