// Raw HTTP over a socket: for requests fetch() would normalise (header case, duplicates, odd
// methods, chunked framing, malformed input).
import net from "node:net";

export interface RawResponse {
  status: number;
  headers: string;
  body: Buffer;
  closed: boolean;
}

/**
 * Writes `parts` on a fresh connection, `gapMs` apart (strings as latin1, so every char is one
 * byte), and reads until the server closes or a full answer (by Content-Length) has arrived.
 */
export function rawExchange(port: number, parts: (string | Buffer)[], gapMs = 0, timeoutMs = 15_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const sep = all.indexOf("\r\n\r\n");
      const headers = sep >= 0 ? all.subarray(0, sep).toString("latin1") : all.toString("latin1");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headers)?.[1] ?? 0);
      resolve({ status, headers, body: sep >= 0 ? all.subarray(sep + 4) : Buffer.alloc(0), closed });
    };
    const timer = setTimeout(() => (chunks.length ? finish(false) : reject(new Error("raw request timed out"))), timeoutMs);
    socket.on("data", (d) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      const sep = all.indexOf("\r\n\r\n");
      if (sep < 0) return;
      const len = /\r\ncontent-length: *(\d+)/i.exec(all.subarray(0, sep).toString("latin1"));
      if (len && all.length - sep - 4 >= Number(len[1])) finish(false);
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.once("connect", async () => {
      for (const [i, part] of parts.entries()) {
        if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (!socket.writable) return;
        if (typeof part === "string") socket.write(part, "latin1");
        else socket.write(part);
      }
    });
  });
}

/** Sends `head` (and `body`) on a fresh connection and reads the answer. */
export function rawRequest(port: number, head: string, body: Buffer | string = "", timeoutMs = 15_000): Promise<RawResponse> {
  return rawExchange(port, body.length ? [head, body] : [head], 0, timeoutMs);
}
