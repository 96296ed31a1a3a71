import "../runtime/server-only";
import path from "node:path";

/** How long one SQLite statement may wait for a lock before it reports "busy" (the writer retries). */
export const SQLITE_BUSY_TIMEOUT_MS = 50;

/** Which database the process talks to, derived from DATABASE_URL (or the embedded default). */
export type DatabaseTarget = { provider: "sqlite"; url: string; file: string } | { provider: "postgresql"; url: string };

export function resolveDatabaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    return { provider: "postgresql", url: databaseUrl };
  }
  const file = databaseUrl ? path.resolve(databaseUrl.replace(/^file:/, "")) : path.resolve(dataDir, "hookscope.db");
  return { provider: "sqlite", url: `file:${file}`, file };
}
