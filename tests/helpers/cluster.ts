// Cluster-mode test helpers (issue 17): the shared Redis of this machine, whether the cluster tests
// can run (PostgreSQL and Redis answering; CI must have both), and which process owns a loopback
// connection (to tell which instance sent a request).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import net from "node:net";
import { postgresUnavailable } from "./server";

export const REDIS = { host: "127.0.0.1", port: 6379 };
export const REDIS_URL = `redis://${REDIS.host}:${REDIS.port}/0`;

/** null when Redis answers PING, else why not. */
export function redisUnavailable(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(REDIS.port, REDIS.host);
    const done = (why: string | null) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(2000, () => done("timed out"));
    socket.once("error", (err) => done(err.message));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => done(d.toString().startsWith("+PONG") ? null : `unexpected answer ${d.toString().trim()}`));
  });
}

/** null when PostgreSQL and Redis both answer; else why not (printed), and an error under CI. */
export async function clusterUnavailable(): Promise<string | null> {
  const why = (await postgresUnavailable()) ?? (await redisUnavailable().then((r) => r && `Redis at ${REDIS_URL}: ${r}`));
  if (why && process.env.CI) throw new Error(`${why} (CI must run the cluster tests)`);
  if (why) console.warn(`skipping cluster tests: ${why}`);
  return why;
}

/**
 * The pid among `pids` holding the loopback TCP connection whose local port is `port` (Linux: the
 * socket's inode from /proc/net/tcp, then the process whose file descriptors include it); null if none.
 */
export function connectionOwner(port: number, pids: readonly number[]): number | null {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1]!.endsWith(`:${hex}`)) inodes.add(cols[9]!);
    }
  }
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}
