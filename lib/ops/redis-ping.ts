// A Redis reachability check for /readyz: a short-lived ioredis connection of its own (AUTH and SELECT from the
// URL, as the cluster's connections do), one PING, closed after. Its own connection, so the answer does not
// depend on the state of the cluster's long-lived ones (which reconnect in the background).
import "../runtime/server-only";
import { Redis } from "ioredis";

/** null when Redis answered PONG, else why not (never the URL: it may hold a password). */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<string | null> {
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      retryStrategy: () => null,
      connectionName: `hookscope-readyz-${process.pid}`,
    });
  } catch {
    return "invalid REDIS_URL";
  }
  client.on("error", () => {}); // reported through the promise below
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const ping = (async () => {
    await client.connect();
    return (await client.ping()) === "PONG" ? null : "unexpected answer";
  })().catch((err: NodeJS.ErrnoException) => err.code ?? (err.message.split(" ")[0] || "connection failed"));
  try {
    return await Promise.race([ping, deadline]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
