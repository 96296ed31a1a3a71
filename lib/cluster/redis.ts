// The Redis connections of cluster mode (REDIS_URL): one for commands, one for subscriptions (a
// connection in subscriber mode can run nothing else). ioredis reconnects by itself (the back-off
// below, for ever) and subscribes again to every channel after a reconnect; commands are not queued
// while the connection is down (enableOfflineQueue: false), so a caller learns at once that Redis is
// unavailable and takes its documented fallback instead of waiting (docs/architecture.md, "Several
// instances"). Only the main thread connects: the door thread posts what it commits to it.
import "../runtime/server-only";
import { Redis } from "ioredis";
import { config } from "../config";
import { metrics } from "../ops/metrics";
import { log } from "../runtime/log";

/** Reconnect after 50 ms, 100 ms, … at most 1 s apart: a restarted Redis is back in use within about a second. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * attempt, 1000);
}

/** A command that failed (the caller takes its fallback): counted in hookscope_redis_errors_total. */
export function countRedisCommandError(): void {
  metrics().redisErrors.inc({ kind: "command", role: "commands" });
}

/** How often a connection that keeps failing is logged (every failed attempt would flood the log). */
const ERROR_LOG_EVERY_MS = 10_000;

export interface RedisLink {
  client: Redis;
  /** True while the connection is up and ready for commands. */
  readonly up: boolean;
  close(): Promise<void>;
}

/** A connection to REDIS_URL; `role` names it in the logs. `onReady` hears every (re)connection. */
export function connectRedis(role: "commands" | "subscriber", onReady?: () => void, url = config().REDIS_URL): RedisLink {
  if (!url) throw new Error("REDIS_URL is not set");
  const client = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    // A command sent on a connection that then drops fails instead of being retried later, out of order.
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: reconnectDelay,
    // cluster.ts subscribes again itself at every ready (a subscription made while down never registered).
    autoResubscribe: false,
    connectionName: `hookscope-${role}-${process.pid}`,
  });
  let up = false;
  let lastErrorLog = 0;
  let wasUp = false;
  client.on("ready", () => {
    up = true;
    log().info({ role, reconnected: wasUp }, "redis connected");
    wasUp = true;
    onReady?.();
  });
  client.on("close", () => {
    if (up) log().warn({ role }, "redis connection lost; reconnecting");
    up = false;
  });
  client.on("error", (err: Error) => {
    metrics().redisErrors.inc({ kind: "connection", role });
    const now = Date.now();
    if (now - lastErrorLog < ERROR_LOG_EVERY_MS) return;
    lastErrorLog = now;
    log().warn({ role, err: err.message }, "redis error");
  });
  return {
    client,
    get up() {
      return up;
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
