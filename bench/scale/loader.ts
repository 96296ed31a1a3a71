// The scale benchmark's bulk loader: writes captures straight into the server's database, exactly
// as the capture door stores them, because a million requests through HTTP would take hours on
// this machine. Run while the server is STOPPED (bench/scale.ts stops it, loads, starts it again,
// so the server's own start-up `PRAGMA optimize` sees the loaded table, as it would after days).
//
// Same rows as the write path, by calling its functions:
// - each row is a NewCapture turned into column values by `captureRowValues` (lib/capture/write/rows.ts):
//   headers as the JSON of [name, value] pairs in wire order, the body as its exact bytes, and
//   `bodySha256: null` so `bindableValues` computes the sha256 as the write worker does (a refused
//   oversized request: empty body, its declared size, sha "" and status 413, as ingest.ts stores it);
// - SQLite: `sqliteCaptureInserter` (lib/capture/write/sqlite-insert.ts), the write worker's own
//   prepared INSERT, one `BEGIN IMMEDIATE` transaction per batch (default 5,000 rows); the FTS index by the
//   search index thread's own code on a second thread (index-thread.ts), while the next batch is built;
// - PostgreSQL: `insertCaptureRows` (rows.ts), the write path's multi-row INSERT through Prisma's
//   driver adapter, 1,000 rows per statement (25,000 bound parameters with the projection, under 65,535);
// - the search projection (CaptureSearch) of every row, computed by the write worker's own function
//   (bench/scale/projection.ts) and inserted by the same calls, in the same transaction; checked after.
// Ids are minted as newCaptureId does (time prefix in base 36 + 96 random bits), from the row's
// own receivedAt, so the id index grows at its end as it does in production.
import { Worker } from "node:worker_threads";
import { randomToken } from "../../lib/runtime/ids";
import type { NewCapture } from "../../lib/model/capture";
import { type CaptureRowValues, captureRowValues, insertCaptureRows, type SearchRowValues } from "../../lib/capture/write/rows";
import { sqliteCaptureInserter } from "../../lib/capture/write/sqlite-insert";
import type { Corpus, SampleRequest } from "./corpus";
import { checkFilled, PROJECTION_DESCRIPTION, projectRows } from "./projection";

export interface LoadTarget {
  provider: "sqlite" | "postgresql";
  /** SQLite: the database file. */
  file?: string;
  /** PostgreSQL: its URL (the bench process's lib/ modules connect to it). */
  databaseUrl?: string;
}

export interface LoadResult {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  bytes: number;
  projection: string;
}

export function toNewCapture(req: SampleRequest, endpointId: string, receivedAt: number): NewCapture {
  const contentType = req.headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? null;
  const refused = req.rejected !== null;
  return {
    id: `cap_${receivedAt.toString(36).padStart(9, "0")}${randomToken(12)}`,
    endpointId,
    receivedAt,
    method: req.method,
    path: req.path,
    query: req.query,
    httpVersion: "1.1",
    headers: req.headers,
    body: refused ? Buffer.alloc(0) : req.body,
    bodySize: req.body.length,
    bodySha256: refused ? "" : null,
    contentType,
    remoteAddr: req.remoteAddr,
    rejected: req.rejected,
    responseStatus: req.responseStatus,
    durationMs: req.body.length > 100_000 ? 3 : 0,
  };
}

type Inserter = { insert(rows: CaptureRowValues[], search: SearchRowValues[]): Promise<void>; close(): void | Promise<void> };

async function inserter(target: LoadTarget): Promise<Inserter> {
  if (target.provider === "sqlite") {
    const ins = sqliteCaptureInserter(target.file!, {
      busyTimeoutMs: 10_000,
      // The write worker's pragmas (lib/db/client.ts sqlitePragmas) with synchronous NORMAL: a
      // bulk load is re-run, not recovered, and each batch still commits whole.
      pragmas: ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"],
      syncsItself: false,
      autocheckpointPages: 10_000,
    });
    // The FTS index is fed by the search index thread's own code (search-indexer.ts) on a thread of its own
    // (index-thread.ts), as in the server: it indexes batch n while this thread builds batch n + 1.
    const indexer = new Worker(new URL("../../lib/runtime/worker-boot.mjs", import.meta.url), {
      workerData: { built: false, entry: new URL("./index-thread.ts", import.meta.url).href, file: target.file! },
    });
    const failed = new Promise<never>((_, reject) => indexer.once("error", reject));
    failed.catch(() => {});
    return {
      insert: async (rows, search) => {
        ins.insert(rows, search);
      },
      close: async () => {
        ins.close();
        indexer.postMessage({ finish: true });
        await Promise.race([new Promise((resolve) => indexer.once("message", resolve)), failed]);
        await indexer.terminate();
      },
    };
  }
  // lib/config.ts reads DATABASE_URL once, at the first config() call: set it before the write path loads.
  process.env.DATABASE_URL = target.databaseUrl!;
  // The write path's statement timeout is the capture deadline (3 s by default): a loader's statement of 1,000
  // rows (some of megabytes, each row feeding the pg_trgm and jsonb GIN indexes) can take longer on a loaded machine.
  process.env.INGEST_DEADLINE_MS ??= "60000";
  return {
    insert: async (rows, search) => {
      for (let i = 0; i < rows.length; i += 1000) await insertCaptureRows(rows.slice(i, i + 1000), search.slice(i, i + 1000));
    },
    close: () => {},
  };
}

/**
 * Loads `n` captures of `corpus` into `endpointId`, receivedAt spread evenly (with jitter, in
 * order) from `fromMs` to `toMs`, so sequence order is time order as in production.
 */
export async function bulkLoad(
  target: LoadTarget,
  endpointId: string,
  corpus: Pick<Corpus, "next">,
  opts: { n: number; fromMs: number; toMs: number; batch?: number; onProgress?: (done: number) => void },
): Promise<LoadResult> {
  const batch = opts.batch ?? 5000;
  const ins = await inserter(target);
  const step = (opts.toMs - opts.fromMs) / opts.n;
  const started = performance.now();
  let bytes = 0;
  let lastMs = opts.fromMs;
  try {
    for (let done = 0; done < opts.n; ) {
      const rows: NewCapture[] = [];
      for (; rows.length < batch && done < opts.n; done++) {
        const at = Math.max(lastMs, Math.round(opts.fromMs + step * done + Math.random() * step));
        lastMs = at;
        const row = toNewCapture(corpus.next(), endpointId, at);
        bytes += row.body.length;
        rows.push(row);
      }
      const values = rows.map(captureRowValues);
      await ins.insert(values, await projectRows(values));
      opts.onProgress?.(done);
    }
  } finally {
    await ins.close();
  }
  await checkFilled(target, endpointId);
  const ms = performance.now() - started;
  return { rows: opts.n, ms: Math.round(ms), rowsPerSecond: Math.round(opts.n / (ms / 1000)), bytes, projection: PROJECTION_DESCRIPTION };
}
