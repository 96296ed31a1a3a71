// The door thread passes every request that is not a capture to the Next.js app on the main
// thread, over a private Unix socket (a directory only this user can open). Requests and
// responses are streamed both ways as they come (live streams stay live); hop-by-hop headers
// stay on their own hop. A client that goes away cancels its request to the app at once, so a
// live stream's subscription ends with the browser's connection.
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { refuse, requestIdOf } from "../runtime/node-response";

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus Expect, answered here. */
/** Most of a request body read and discarded after the app has answered without reading it all. */
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The app answered (a 413 for a body over its cap, say) before reading the whole body: the rest is
 * read and discarded, so the client, still sending, reads the answer instead of a reset. Past
 * DISCARD_MAX_BYTES the connection is closed.
 */
function discardRest(req: http.IncomingMessage, upstream: http.ClientRequest): void {
  if (req.readableEnded) return;
  req.unpipe(upstream);
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_MAX_BYTES) req.socket.destroy();
  });
  req.resume();
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"]);

export class NextProxy {
  private readonly agent: http.Agent;

  constructor(private readonly socketPath: string) {
    // Idle connections to the app are kept a while: most dashboard requests reuse one.
    this.agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 64, timeout: 30_000 });
  }

  forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    let answered = false;
    const upstream = http.request(
      { socketPath: this.socketPath, agent: this.agent, method: req.method, path: req.url, headers },
      (answer) => {
        answer.on("end", () => {
          answered = true;
        });
        const raw = answer.rawHeaders;
        const out: string[] = [];
        for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
        // The door's request id (lib/ops/request-id.ts), unless the app answered with its own.
        const id = requestIdOf(res);
        if (id && answer.headers["x-request-id"] === undefined) out.push("X-Request-Id", id);
        if (res.destroyed) return void answer.destroy();
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
        // Live streams: each chunk goes out as it arrives (no Nagle delay on small events).
        if (String(answer.headers["content-type"] ?? "").startsWith("text/event-stream")) res.socket?.setNoDelay(true);
        answer.pipe(res);
        answer.on("end", () => discardRest(req, upstream));
        answer.on("error", () => res.destroy());
        answer.on("aborted", () => res.destroy());
      },
    );
    upstream.on("error", () => {
      // The app closed its side after a complete answer (it did not read the whole body): not a failure.
      if (res.writableFinished || answered) return discardRest(req, upstream);
      if (res.headersSent) res.destroy();
      else refuse(res, "unavailable", "The app is not answering; retry shortly.", { "Retry-After": "1" });
    });
    // The client went away (or the answer is complete): the app's side of it ends too.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  /** Connection upgrades (the development server's hot reload): the two sockets are joined as they are. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const upstream = net.connect(this.socketPath);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.on("connect", () => {
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", close);
    socket.on("error", close);
    upstream.on("close", close);
    socket.on("close", close);
  }

  close(): void {
    this.agent.destroy();
  }
}
