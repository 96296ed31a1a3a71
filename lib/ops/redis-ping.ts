// A Redis reachability check for /readyz: one connection, AUTH when the URL carries credentials,
// PING, and +PONG within the timeout. Plain RESP over node:net (node:tls for rediss://), so the
// check does not depend on (or share a connection with) the client the cluster mode uses.
import "../runtime/server-only";
import net from "node:net";
import tls from "node:tls";

const command = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;

/** null when Redis answered PONG, else why not (never the URL: it may hold a password). */
export function pingRedis(url: string, timeoutMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve("invalid REDIS_URL");
    }
    const port = Number(u.port || 6379);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const socket = u.protocol === "rediss:" ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    let out = "";
    const password = decodeURIComponent(u.password);
    const user = decodeURIComponent(u.username);
    if (password) out += user ? command("AUTH", user, password) : command("AUTH", password);
    const db = u.pathname.replace(/^\//, "");
    if (/^\d+$/.test(db) && db !== "0") out += command("SELECT", db);
    out += command("PING");
    let buf = "";
    let done = false;
    const finish = (reason: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once(u.protocol === "rediss:" ? "secureConnect" : "connect", () => socket.write(out));
    socket.on("data", (d: Buffer) => {
      buf += d.toString("latin1");
      const lines = buf.split("\r\n");
      for (const line of lines.slice(0, -1)) {
        if (line.startsWith("-")) return finish(line.slice(1).split(" ")[0] ?? "error");
        if (line === "+PONG") return finish(null);
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => finish(err.code ?? "connection failed"));
    socket.on("close", () => finish("connection closed"));
  });
}
