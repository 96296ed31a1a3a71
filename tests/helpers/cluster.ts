// Helpers of the cluster-mode tests and bench:cluster (issue 17): is PostgreSQL + Redis there, a
// private redis-server the test may stop and start (the shared one on 6379 must stay up), and an
// SSE client that follows a stream across instances, reconnecting with Last-Event-ID as a browser's
// EventSource does.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import net from "node:net";
import { postgresUnavailable } from "./server";
import { openStream } from "./sse";

export const SHARED_REDIS = { host: "127.0.0.1", port: 6379 };
export const SHARED_REDIS_URL = `redis://${SHARED_REDIS.host}:${SHARED_REDIS.port}/0`;
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";

/** null when a Redis at host:port answers PING, else why not. */
export function redisUnavailable(port = SHARED_REDIS.port, host = SHARED_REDIS.host): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
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

/** null when PostgreSQL and the shared Redis answer; in CI their absence is an error. */
export async function clusterUnavailable(): Promise<string | null> {
  const why = (await postgresUnavailable()) ?? (await redisUnavailable().then((r) => r && `Redis at ${SHARED_REDIS_URL}: ${r}`));
  if (why && process.env.CI) throw new Error(`${why} (CI must run the cluster tests)`);
  if (why) console.warn(`skipping cluster tests: ${why}`);
  return why;
}

/**
 * A redis-server of the test's own on `port` (no persistence): start() and stop() act on that
 * process only (SIGTERM, waited for), never on the shared Redis.
 */
export function privateRedis(port: number) {
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child) return;
    const proc = spawn(REDIS_SERVER_BIN, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      proc.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${out}`));
      });
    });
  };
  const stop = async () => {
    const proc = child;
    if (!proc) return;
    child = null;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  };
  return {
    start,
    stop,
    url: `redis://127.0.0.1:${port}/0`,
    get running() {
      return child !== null;
    },
    /** The running redis-server's process id. */
    get pid() {
      return child?.pid;
    },
  };
}

export interface SeenCapture {
  seq: number;
  id: string;
  path: string;
}

/**
 * An SSE client of one endpoint that, when its connection ends (the instance died or drained),
 * reconnects after `retryMs` to the next base URL in `bases` that is up, sending Last-Event-ID = the
 * last seq it saw, as EventSource does. `captures` is every capture event of every connection, in
 * the order received.
 */
export function followStream(bases: () => string[], streamPath: string, headers: Record<string, string>, retryMs = 100) {
  const captures: SeenCapture[] = [];
  const connections: { base: string; lastEventId: string | null; status: number }[] = [];
  let stopped = false;
  let current: ReturnType<typeof openStream> | null = null;
  let lastId: string | null = null;
  let readyCount = 0;
  let turn = 0;
  const connect = async (): Promise<void> => {
    while (!stopped) {
      const list = bases();
      const base = list[turn++ % list.length]!;
      const s = openStream(`${base}${streamPath}`, { ...headers, ...(lastId !== null && { "last-event-id": lastId }) });
      current = s;
      const conn = { base, lastEventId: lastId, status: 0 };
      try {
        await s.opened;
      } catch {
        await new Promise((r) => setTimeout(r, retryMs));
        continue;
      }
      conn.status = s.status;
      connections.push(conn);
      let seen = 0;
      let ready = false;
      // Take its events as they come, until the connection ends.
      for (;;) {
        await s.until(() => s.events.length > seen || s.endedAt > 0, 3_600_000).catch(() => {});
        for (; seen < s.events.length; seen++) {
          const ev = s.events[seen]!;
          if (ev.event === "capture") {
            const data = JSON.parse(ev.data!) as { id: string; path: string };
            captures.push({ seq: Number(ev.id), id: data.id, path: data.path });
            lastId = ev.id!;
          } else if (ev.event === "ready" && !ready) {
            ready = true;
            readyCount++;
          }
        }
        if (s.endedAt > 0 || stopped) break;
      }
      if (stopped) return;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  const running = connect();
  return {
    captures,
    connections,
    get readyCount() {
      return readyCount;
    },
    async until(pred: () => boolean, timeoutMs: number, what: string) {
      const end = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; have ${captures.length} captures`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      stopped = true;
      current?.close();
      await running;
    },
  };
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
