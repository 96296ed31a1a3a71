import "../runtime/server-only";
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

/**
 * The database could not be reached or had no free connection in time (PostgreSQL pool timeout,
 * refused connection, SQLite lock: Prisma reports a busy SQLite behind its driver adapter as P1008 "Operation has
 * timed out"): a 503 to retry, not a 500.
 */
export function isStorageUnavailable(err: unknown): boolean {
  if (isBusyError(err)) return true;
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: { kind?: unknown } };
  if (typeof e.code === "string" && ["P1001", "P1002", "P1008", "P1017", "P2024"].includes(e.code)) return true;
  if (e.cause?.kind === "DatabaseNotReachable" || e.cause?.kind === "SocketTimeout") return true;
  return /timeout exceeded when trying to connect|Operation has timed out|ECONNREFUSED|Connection terminated|Can't reach database/i.test(
    String(e.message ?? ""),
  );
}
