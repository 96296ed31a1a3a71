// The hook for the search projection (issue 16: a table such as `CaptureSearch` that the write path
// fills beside each capture). The bulk loader must fill it exactly as the write path does, by
// calling the same function; until that table exists there is nothing to fill.
//
// When it lands: import the write path's projection function here and call it from `fill` with the
// loaded rows (the NewCapture values just inserted), in the same transaction shape the write worker
// uses. Until then, a database that has such a table but no wiring here stops the load with an error,
// so a benchmark never runs against a half-filled projection.
import Database from "better-sqlite3";
import pg from "pg";
import type { NewCapture } from "../../lib/model/capture";
import type { LoadTarget } from "./loader";

export interface Projection {
  fill(rows: readonly NewCapture[]): Promise<void>;
  close(): Promise<void>;
  /** What was filled, for the results file. */
  describe: string;
}

/** Tables that look like a search projection of captures. */
export async function searchTables(target: LoadTarget): Promise<string[]> {
  if (target.provider === "sqlite") {
    const db = new Database(target.file!, { readonly: true });
    try {
      const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%Search%'").all() as { name: string }[];
      return rows.map((r) => r.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name ILIKE '%search%'",
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

export async function projectionFor(target: LoadTarget): Promise<Projection> {
  const tables = await searchTables(target);
  if (tables.length > 0) {
    throw new Error(
      `the database has a search projection (${tables.join(", ")}) that bench/scale/projection.ts does not fill yet: call the write path's projection function from fill()`,
    );
  }
  return { fill: async () => {}, close: async () => {}, describe: "none (no search projection table in this schema)" };
}
