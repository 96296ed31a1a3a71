// /readyz: may this instance take traffic? The database answers (within a bound), every migration
// the code ships is applied, and Redis answers when REDIS_URL is set; a draining instance (SIGTERM)
// is not ready. /healthz stays "alive": a load balancer takes an instance out on /readyz and a
// supervisor restarts it on /healthz.
import "../runtime/server-only";
import { pendingOf } from "../db/migration-state";
import type { DatabaseTarget } from "../db/target";
import { pingRedis } from "./redis-ping";

export type NotReady = {
  code: "draining" | "starting" | "database_unreachable" | "migrations_pending" | "redis_unreachable";
  message: string;
};

const CHECK_TIMEOUT_MS = 2000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}

export async function readiness(opts: {
  /** The names of the migrations the database lists as applied (APPLIED_MIGRATIONS_SQL). */
  appliedMigrations: () => Promise<string[]>;
  provider: DatabaseTarget["provider"];
  redisUrl?: string;
  draining: boolean;
  /** The app (pages, API) is not listening yet; captures may already be taken. */
  starting?: boolean;
}): Promise<NotReady[]> {
  if (opts.draining) return [{ code: "draining", message: "This instance is shutting down." }];
  if (opts.starting) return [{ code: "starting", message: "The app is still starting." }];
  const database = within(opts.appliedMigrations(), CHECK_TIMEOUT_MS).then(
    (names): NotReady[] => {
      const pending = pendingOf(opts.provider, names);
      return pending.length ? [{ code: "migrations_pending", message: `Migrations not applied: ${pending.join(", ")}.` }] : [];
    },
    (err: Error): NotReady[] =>
      /no such table|does not exist/i.test(err.message)
        ? [{ code: "migrations_pending", message: "The database has no migrations applied." }]
        : [{ code: "database_unreachable", message: "The database did not answer." }],
  );
  const redis = opts.redisUrl
    ? pingRedis(opts.redisUrl, CHECK_TIMEOUT_MS).then((why): NotReady[] =>
        why ? [{ code: "redis_unreachable", message: `Redis did not answer (${why}).` }] : [],
      )
    : Promise.resolve([]);
  return (await Promise.all([database, redis])).flat();
}
