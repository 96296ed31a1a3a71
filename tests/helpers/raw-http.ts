// Raw HTTP over a socket: for requests fetch() would normalise (header case, duplicates, odd
// methods, chunked framing, malformed input).
import net from "node:net";

export interface RawResponse {
  status: number;
  headers: string;
  body: Buffer;
  closed: boolean;
}

/** Sends `head` (and `body`) on a fresh connection and reads until the server closes or answers. */
export function rawRequest(port: number, head: string, body: Buffer | string = "", timeoutMs = 15_000): Promise<RawResponse> {
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
      const headers = all.subarray(0, sep).toString("latin1");
      const len = /\r\ncontent-length: *(\d+)/i.exec(headers);
      if (len && all.length - sep - 4 >= Number(len[1])) finish(false);
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.write(head, "latin1");
    if (body.length) socket.write(body);
  });
}
