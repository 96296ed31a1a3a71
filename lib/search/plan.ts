// The plan choice for SQLite text conditions. `c.seq IN (SELECT rowid FROM CaptureSearchFts WHERE … MATCH ?)`
// is fast for a selective needle (a few hundred rowids, then primary-key seeks) but the planner materialises
// every rowid the needle matches: for a needle in most rows (180k at the plan test's size) that is ~700 ms
// per statement, where the newest-first walk of the endpoint's (endpointId, seq) index with a per-row LIKE
// meets a page of matches at once. So each needle is probed first with a bounded read of the FTS index
// (at most BROAD_ROWS rowids, a few ms); one that reaches the bound is compiled as LIKE. PostgreSQL needs no
// probe: its planner estimates pg_trgm selectivity itself and picks the bitmap index or the walk.
import "../runtime/server-only";
import { databaseTarget, db, dbProvider } from "../db/client";
import { attachSearchIndex } from "../db/search-indexes";
import { ftsPhrase } from "./sql/fragment";
import { FTS_TABLE } from "./sql/columns";
import { compile, type CompileOptions, type Compiled } from "./sql/compile";
import type { Query } from "./hql/ast";

export const BROAD_ROWS = 5000;

function sqliteFile(): string {
  const target = databaseTarget();
  if (target.provider !== "sqlite") throw new Error("not SQLite");
  return target.file;
}

/** Without the probe (every ASCII needle of 3+ characters through the FTS index), for counts. */
export async function compileUnplanned(query: Query, opts: CompileOptions): Promise<Compiled> {
  const provider = dbProvider();
  if (provider === "sqlite") await attachSearchIndex(db(), sqliteFile());
  return compile(query, provider, opts);
}

export async function compilePlanned(query: Query, opts: CompileOptions): Promise<Compiled> {
  const provider = dbProvider();
  if (provider === "sqlite") await attachSearchIndex(db(), sqliteFile());
  const needles = new Set<string>();
  const first = compile(query, provider, { ...opts, ftsNeedles: needles });
  if (provider !== "sqlite" || needles.size === 0) return first;
  const broad = new Set<string>();
  for (const needle of needles) {
    const rows = await db().$queryRawUnsafe<{ n: number | bigint }[]>(
      `SELECT COUNT(*) AS n FROM (SELECT rowid FROM ${FTS_TABLE}(?) LIMIT ${BROAD_ROWS})`,
      ftsPhrase(needle),
    );
    if (Number(rows[0]?.n ?? 0) >= BROAD_ROWS) broad.add(needle);
  }
  return broad.size === 0 ? first : compile(query, provider, { ...opts, broad });
}
