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
// - with a full Corpus (bench/scale.ts), rows come from a pool of samples projected once and stamped per row with
//   fresh users and UUIDs (pool.ts: checked equal to the write path's projection, one row in 500 re-checked);
// - load settings while the server is stopped: SQLite synchronous OFF and a bigger cache, PostgreSQL
//   synchronous_commit off and a bigger GIN pending list, reset and merged after (pg-load.ts).
// Ids are minted as newCaptureId does (time prefix in base 36 + 96 random bits), from the row's
// own receivedAt, so the id index grows at its end as it does in production.
import { Worker } from "node:worker_threads";
import { randomToken } from "../../lib/runtime/ids";
import type { NewCapture } from "../../lib/model/capture";
import {
  CAPTURE_COLUMNS,
  type CaptureRowValues,
  captureRowValues,
  insertCaptureRows,
  type SearchRowValues,
} from "../../lib/capture/write/rows";
import { sqliteCaptureInserter } from "../../lib/capture/write/sqlite-insert";
import type { Corpus, SampleRequest } from "./corpus";
import { pgLoadSettings } from "./pg-load";
import { buildPool } from "./pool";
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
  /** Where the time went (ms): pool build, row building, projection, inserts, waiting for the FTS thread at the end, the check. */
  phases: Record<string, number>;
}

const ID = CAPTURE_COLUMNS.indexOf("id");
const RECEIVED = CAPTURE_COLUMNS.indexOf("receivedAt");
const SIZE = CAPTURE_COLUMNS.indexOf("bodySize");
/** With a pool, one row in so many is projected again by the write path's function and compared (the load stops on a difference). */
const VERIFY_EVERY = 500;
/** Distinct samples in the pool: 2 % of a million rows, every kind and size class of the mix many times over. */
export const DEFAULT_POOL = 20_000;
const POOL_DESCRIPTION = (p: { size: number; stamped: number }) =>
  `rows from a pool of ${p.size} samples projected once (${p.stamped} stamped per row with fresh users and UUIDs, the rest reused verbatim), one in ${VERIFY_EVERY} re-projected and compared`;

const newId = (receivedAt: number) => `cap_${receivedAt.toString(36).padStart(9, "0")}${randomToken(12)}`;

export function toNewCapture(req: SampleRequest, endpointId: string, receivedAt: number): NewCapture {
  const contentType = req.headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? null;
  const refused = req.rejected !== null;
  return {
    id: newId(receivedAt),
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
      // The write worker's pragmas (lib/db/client.ts sqlitePragmas) but synchronous OFF and a 128 MB page cache: the
      // server is stopped and a bulk load is re-run, not recovered. WAL as in production; checkpoints every 50,000
      // pages (the index pages a batch rewrites are written back once per checkpoint rather than five times).
      pragmas: ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = OFF", "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -131072"],
      syncsItself: false,
      autocheckpointPages: 50_000,
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
  const settings = await pgLoadSettings(target.databaseUrl!);
  return {
    insert: async (rows, search) => {
      for (let i = 0; i < rows.length; i += 1000) await insertCaptureRows(rows.slice(i, i + 1000), search.slice(i, i + 1000));
    },
    close: () => settings.restore(),
  };
}

/**
 * Loads `n` captures of `corpus` into `endpointId`, receivedAt spread evenly (with jitter, in
 * order) from `fromMs` to `toMs`, so sequence order is time order as in production.
 */
export async function bulkLoad(
  target: LoadTarget,
  endpointId: string,
  corpus: Pick<Corpus, "next"> & Partial<Pick<Corpus, "userSpace">>,
  opts: {
    n: number;
    fromMs: number;
    toMs: number;
    batch?: number;
    /**
     * Rows from a pool of this many samples, stamped (bench/scale/pool.ts); 0: every row generated and projected.
     * Default DEFAULT_POOL for a full Corpus (bench/scale.ts), 0 for a bare `{ next }` (the scale-loader test).
     */
    pool?: number;
    onProgress?: (done: number) => void;
  },
): Promise<LoadResult> {
  const batch = opts.batch ?? 5000;
  const phases = { poolMs: 0, rowsMs: 0, projectionMs: 0, insertMs: 0, indexWaitMs: 0, checkMs: 0 };
  const started = performance.now();
  let tick = started;
  const lap = (phase: keyof typeof phases) => {
    const now = performance.now();
    phases[phase] += now - tick;
    tick = now;
  };
  const poolSize = opts.pool ?? (corpus.userSpace === undefined ? 0 : DEFAULT_POOL);
  const pool =
    poolSize > 0 && corpus.userSpace !== undefined
      ? await buildPool(corpus as Pick<Corpus, "next" | "userSpace">, (req) => captureRowValues(toNewCapture(req, endpointId, 0)), {
          size: Math.min(poolSize, opts.n),
        })
      : null;
  lap("poolMs");
  const ins = await inserter(target);
  const step = (opts.toMs - opts.fromMs) / opts.n;
  let bytes = 0;
  let lastMs = opts.fromMs;
  try {
    for (let done = 0; done < opts.n; ) {
      const values: CaptureRowValues[] = [];
      const search: SearchRowValues[] = [];
      for (; values.length < batch && done < opts.n; done++) {
        const at = Math.max(lastMs, Math.round(opts.fromMs + step * done + Math.random() * step));
        lastMs = at;
        if (pool) {
          const p = pool.next();
          p.row[ID] = newId(at);
          p.row[RECEIVED] = at;
          if (done % VERIFY_EVERY === 0) await pool.verify(p.row, p.search);
          bytes += Number(p.row[SIZE]);
          values.push(p.row);
          search.push(p.search);
        } else {
          const row = toNewCapture(corpus.next(), endpointId, at);
          bytes += row.body.length;
          values.push(captureRowValues(row));
        }
      }
      lap("rowsMs");
      if (!pool) search.push(...(await projectRows(values)));
      lap("projectionMs");
      await ins.insert(values, search);
      lap("insertMs");
      opts.onProgress?.(done);
    }
  } finally {
    await ins.close();
  }
  lap("indexWaitMs");
  await checkFilled(target, endpointId);
  lap("checkMs");
  const ms = performance.now() - started;
  return {
    rows: opts.n,
    ms: Math.round(ms),
    rowsPerSecond: Math.round(opts.n / (ms / 1000)),
    bytes,
    projection: pool ? `${PROJECTION_DESCRIPTION}; ${POOL_DESCRIPTION(pool)}` : PROJECTION_DESCRIPTION,
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)])),
  };
}
