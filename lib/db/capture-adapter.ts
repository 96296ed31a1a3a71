// On PostgreSQL the capture door's insert runs through Prisma's driver adapter directly: the same
// adapter (and driver) the Prisma client uses, minus the client's query pipeline, which
// base64-encodes every Bytes value and costs more per bound parameter than the insert itself
// (docs/architecture.md has the measurements). SQLite's is lib/capture/sqlite-insert.ts.
import "../runtime/server-only";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { adapterFactory, databaseTarget } from "./adapter";
import { shared } from "../runtime/shared";
import { config } from "../config";

export function captureAdapter(): Promise<SqlDriverAdapter> {
  return shared("capture-adapter", async () => {
    const target = databaseTarget();
    // An insert that outlives the sender's deadline is cancelled by the database itself, so a
    // sender waits at most about twice INGEST_DEADLINE_MS (queue, then statement).
    return (await adapterFactory(target, 4, config().INGEST_DEADLINE_MS).connect()) as SqlDriverAdapter;
  });
}

const UNKNOWN = { scalarType: "unknown", arity: "scalar" } as const;

/** Runs a parameterised statement; the SQL text must hold placeholders only, never values. */
export async function rawRows(sql: string, args: unknown[]): Promise<unknown[][]> {
  const adapter = await captureAdapter();
  const result = await adapter.queryRaw({ sql, args, argTypes: args.map(() => UNKNOWN) } as Parameters<SqlDriverAdapter["queryRaw"]>[0]);
  return result.rows;
}
