// Direct looks at the benchmark's database (setup facts and sizes, never the measured requests).
import { existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import type { LoadTarget } from "./loader";

export interface Facts {
  count: number;
  oldestSeq: number;
  /** Capture ids spread over the table, for the detail requests. */
  sampleIds: string[];
  /** One GitHub delivery id that exists, for a selective `delivery:` query. */
  deliveryId: string | null;
}

const DELIVERY = /"X-GitHub-Delivery","([^"]+)"/;

export async function inspect(target: LoadTarget, endpointId: string): Promise<Facts> {
  if (target.provider === "sqlite") {
    const db = new Database(target.file!, { readonly: true });
    try {
      const { count, oldest } = db
        .prepare('SELECT COUNT(*) AS count, MIN(seq) AS oldest FROM "Capture" WHERE "endpointId" = ?')
        .get(endpointId) as { count: number; oldest: number };
      const step = Math.max(1, Math.floor(count / 40));
      const ids = db.prepare('SELECT id FROM "Capture" WHERE "endpointId" = ? AND (seq % ?) = 0 LIMIT 40').all(endpointId, step) as {
        id: string;
      }[];
      const gh = db
        .prepare(`SELECT headers FROM "Capture" WHERE "endpointId" = ? AND seq > ? AND headers LIKE '%X-GitHub-Delivery%' LIMIT 1`)
        .get(endpointId, oldest + Math.floor(count / 2)) as { headers: string } | undefined;
      return {
        count,
        oldestSeq: oldest,
        sampleIds: ids.map((r) => r.id),
        deliveryId: gh ? (DELIVERY.exec(gh.headers)?.[1] ?? null) : null,
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT COUNT(*)::int AS count, MIN(seq) AS oldest FROM "Capture" WHERE "endpointId" = $1', [
      endpointId,
    ]);
    const { count, oldest } = rows[0] as { count: number; oldest: number };
    const step = Math.max(1, Math.floor(count / 40));
    const ids = await client.query('SELECT id FROM "Capture" WHERE "endpointId" = $1 AND seq % $2 = 0 LIMIT 40', [endpointId, step]);
    const gh = await client.query(
      `SELECT headers FROM "Capture" WHERE "endpointId" = $1 AND seq > $2 AND headers LIKE '%X-GitHub-Delivery%' LIMIT 1`,
      [endpointId, oldest + Math.floor(count / 2)],
    );
    const h = gh.rows[0]?.headers as string | undefined;
    return {
      count,
      oldestSeq: oldest,
      sampleIds: ids.rows.map((r) => r.id as string),
      deliveryId: h ? (DELIVERY.exec(h)?.[1] ?? null) : null,
    };
  } finally {
    await client.end();
  }
}

/**
 * Database bytes per capture. SQLite: the db file + WAL after a TRUNCATE checkpoint (taken with the
 * server running and idle), and per table from dbstat when available. PostgreSQL: the sum of
 * pg_total_relation_size over the schema's tables (heap + TOAST + indexes), and per table.
 */
export async function databaseSize(target: LoadTarget) {
  if (target.provider === "sqlite") {
    const file = target.file!;
    const db = new Database(file);
    let checkpoint: unknown = null;
    let tables: Record<string, number> = {};
    let count = 0;
    try {
      db.pragma("busy_timeout = 10000");
      checkpoint = db.pragma("wal_checkpoint(TRUNCATE)");
      count = (db.prepare('SELECT COUNT(*) AS n FROM "Capture"').get() as { n: number }).n;
      try {
        const rows = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 12").all() as {
          name: string;
          bytes: number;
        }[];
        tables = Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
      } catch {
        // dbstat is not compiled in: file sizes only.
      }
    } finally {
      db.close();
    }
    const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
    const bytes = size(file) + size(`${file}-wal`);
    return {
      captures: count,
      totalBytes: bytes,
      walBytes: size(`${file}-wal`),
      bytesPerCapture: Math.round(bytes / Math.max(1, count)),
      checkpoint,
      tables,
    };
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE "Capture", "CaptureSearch"');
    const { rows } = await client.query(
      "SELECT tablename AS name, pg_total_relation_size(quote_ident(tablename)) AS bytes FROM pg_tables WHERE schemaname = current_schema() ORDER BY bytes DESC",
    );
    const count = Number((await client.query('SELECT COUNT(*) AS n FROM "Capture"')).rows[0].n);
    const tables = Object.fromEntries(rows.map((r) => [r.name as string, Number(r.bytes)]));
    const bytes = Object.values(tables).reduce((a, b) => a + b, 0);
    return {
      captures: count,
      totalBytes: bytes,
      bytesPerCapture: Math.round(bytes / Math.max(1, count)),
      captureTableBytesPerCapture: Math.round((tables.Capture ?? 0) / Math.max(1, count)),
      tables,
    };
  } finally {
    await client.end();
  }
}
