// The bulk loader's PostgreSQL settings for the load (bench/scale/loader.ts), set per database (ALTER DATABASE …
// SET, read by every connection the write path's pool opens afterwards) and reset after it; the tables and their
// indexes stay exactly as in production (logged, every index in place):
// - synchronous_commit off: the server is stopped and a bulk load is re-run, not recovered;
// - a 64 MB GIN pending list (gin_pending_list_limit, default 4 MB) and 256 MB work_mem: CaptureSearch's pg_trgm
//   GIN takes ~1,500 trigram entries per row, and its fast-update list is merged into the index in fewer, bigger
//   runs. At the end every GIN index's pending list is merged (gin_clean_pending_list), so the server starts on
//   the index state its own inserts leave after their cleanups.
import pg from "pg";

const SETTINGS = { synchronous_commit: "off", gin_pending_list_limit: "65536", work_mem: "262144" } as const;

export async function pgLoadSettings(databaseUrl: string): Promise<{ restore(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
  const db = `"${rows[0]!.db.replaceAll('"', '""')}"`;
  try {
    for (const [name, value] of Object.entries(SETTINGS)) await client.query(`ALTER DATABASE ${db} SET ${name} = ${value}`);
  } finally {
    await client.end();
  }
  return {
    restore: async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        for (const name of Object.keys(SETTINGS)) await c.query(`ALTER DATABASE ${db} RESET ${name}`);
        const gins = await c.query<{ name: string }>(
          `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
            JOIN pg_namespace n ON n.oid = i.relnamespace WHERE a.amname = 'gin' AND n.nspname = current_schema()`,
        );
        for (const g of gins.rows) await c.query("SELECT gin_clean_pending_list($1::regclass)", [`"${g.name}"`]);
      } finally {
        await c.end();
      }
    },
  };
}
