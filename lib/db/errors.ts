/**
 * SQLite reports a lock held by another connection as SQLITE_BUSY ("database is locked"); Prisma's
 * driver adapter wraps it as a DriverAdapterError whose cause is
 * `{ kind: "SocketTimeout", originalCode: "SQLITE_BUSY…" }`. The write worker forwards `busy`.
 */
export function isBusyError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { busy?: unknown; message?: unknown; cause?: { originalCode?: unknown; kind?: unknown } };
  if (e.busy === true) return true;
  const code = typeof e.cause?.originalCode === "string" ? e.cause.originalCode : "";
  return code.startsWith("SQLITE_BUSY") || /SQLITE_BUSY|database is locked/i.test(String(e.message ?? ""));
}
