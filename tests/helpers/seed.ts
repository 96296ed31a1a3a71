// Seeds captures straight into a test server's database with one SQL statement (a recursive CTE on SQLite,
// generate_series on PostgreSQL): 50k rows in well under a second, where the capture door would take much longer.
// Rows look like 1 KiB JSON captures; ids are `cap_<tag>_<n>`. Also raw reads for assertions on row counts.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { root, type TestServer } from "./server";

const run = promisify(execFile);

export interface SeedDb {
  /** Inserts `n` captures into the endpoint (seq assigned by the database, after any existing ones). */
  captures(endpointId: string, n: number, tag: string): Promise<void>;
  /** A stored signature verdict for every `every`-th seeded capture of `tag`. */
  signatureChecks(endpointId: string, tag: string, every: number): Promise<void>;
  count(sql: string, ...params: unknown[]): Promise<number>;
  /** A statement on another connection (SQLite: another process), without blocking this one. */
  exec(sql: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS = `"id", "endpointId", "receivedAt", "method", "path", "query", "httpVersion", "headers", "body", "bodySize", "bodySha256", "contentType", "remoteAddr", "responseStatus", "durationMs"`;
const HEADERS = JSON.stringify([["Content-Type", "application/json"]]);

export async function openSeedDb(server: TestServer): Promise<SeedDb> {
  if (server.provider === "sqlite") {
    const file = path.join(server.dataDir, "hookscope.db");
    const db = new Database(file);
    db.pragma("busy_timeout = 5000");
    return {
      async captures(endpointId, n, tag) {
        db.prepare(
          `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
           INSERT INTO "Capture" (${COLUMNS})
           SELECT 'cap_' || ? || '_' || i, ?, 0, 'POST', '/seed', '', '1.1', ?, zeroblob(1024), 1024, '0', 'application/json', '127.0.0.1', 200, 1 FROM k`,
        ).run(n, tag, endpointId, HEADERS);
      },
      async signatureChecks(endpointId, tag, every) {
        db.prepare(
          `INSERT INTO "SignatureCheck" ("captureId", "endpointId", "provider", "status", "checkedAt")
           SELECT id, ?, 'github', 'valid', 0 FROM "Capture" WHERE "endpointId" = ? AND id LIKE ? AND (seq % ?) = 0`,
        ).run(endpointId, endpointId, `cap_${tag}_%`, every);
      },
      async count(sql, ...params) {
        return Number((db.prepare(sql).get(...params) as { n: number }).n);
      },
      // In a child process: better-sqlite3 is synchronous and would stop this process's requests meanwhile.
      async exec(sql, ...params) {
        const script = `const D=require("better-sqlite3");const d=new D(process.argv[1]);d.pragma("busy_timeout = 10000");d.prepare(process.argv[2]).run(...JSON.parse(process.argv[3]));`;
        await run(process.execPath, ["-e", script, file, sql, JSON.stringify(params)], { cwd: root });
      },
      async close() {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  return {
    async captures(endpointId, n, tag) {
      await client.query(
        `INSERT INTO "Capture" (${COLUMNS})
         SELECT 'cap_' || $1 || '_' || i, $2, 0, 'POST', '/seed', '', '1.1', $3, decode(repeat('00', 1024), 'hex'), 1024, '0', 'application/json', '127.0.0.1', 200, 1
         FROM generate_series(1, $4::int) AS i`,
        [tag, endpointId, HEADERS, n],
      );
    },
    async signatureChecks(endpointId, tag, every) {
      await client.query(
        `INSERT INTO "SignatureCheck" ("captureId", "endpointId", "provider", "status", "checkedAt")
         SELECT id, $1, 'github', 'valid', now() FROM "Capture" WHERE "endpointId" = $1 AND id LIKE $2 AND (seq % $3) = 0`,
        [endpointId, `cap_${tag}_%`, every],
      );
    },
    async count(sql, ...params) {
      // The same SQL on both: `?` placeholders become $1, $2, …
      let i = 0;
      const text = sql.replace(/\?/g, () => `$${++i}`);
      return Number((await client.query(text, params)).rows[0].n);
    },
    async exec(sql, ...params) {
      let i = 0;
      await client.query(
        sql.replace(/\?/g, () => `$${++i}`),
        params,
      );
    },
    async close() {
      await client.end();
    },
  };
}
