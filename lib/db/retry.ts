import "../runtime/server-only";
import { isStorageUnavailable } from "./errors";

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` again while the database is busy or unreachable (isStorageUnavailable), with a growing pause
 * (10 ms doubling to 1 s), for up to `giveUpMs`; then the last error is thrown. For background work whose every
 * step is idempotent (a purge batch, a job's progress or outcome): on SQLite the app's connection waits only
 * SQLITE_BUSY_TIMEOUT_MS (50 ms) for the write lock, so that requests answer 503 at once, and a large capture
 * commit or another process's transaction can hold it longer. `onBusy` is told each time (e.g. to shrink a batch).
 */
export async function whileBusy<T>(work: () => Promise<T>, opts: { giveUpMs?: number; onBusy?: () => void } = {}): Promise<T> {
  const giveUpAt = Date.now() + (opts.giveUpMs ?? 60_000);
  for (let wait = 10; ; wait = Math.min(wait * 2, 1000)) {
    try {
      return await work();
    } catch (err) {
      if (!isStorageUnavailable(err) || Date.now() + wait > giveUpAt) throw err;
      opts.onBusy?.();
      await pause(wait);
    }
  }
}
