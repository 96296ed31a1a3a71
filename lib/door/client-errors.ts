// Requests Node's HTTP parser refuses before any handler runs (a header block over MAX_HEADER_BYTES,
// a request that did not arrive within REQUEST_TIMEOUT_MS, bytes that are not HTTP) are answered
// with the same JSON error shape as every other refusal, and in pipeline order: a connection that
// still owes an earlier request its answer sends that first (Node's default answers only a
// connection that has written nothing yet, so a bad request after a pipelined good one went
// unanswered). The connection closes after the answer: the parser cannot read past the bad request.
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { ERROR_STATUS, type ErrorCode } from "../errors";

/** How long a parser error's answer waits for the earlier pipelined answer before the connection is cut. */
const PENDING_ANSWER_WAIT_MS = 30_000;

const BY_PARSER_CODE: Record<string, [ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: ["headers_too_large", "The request's header block is larger than this server accepts."],
  ERR_HTTP_REQUEST_TIMEOUT: ["request_timeout", "The request did not arrive in time."],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: ["body_too_large", "The request's chunk extensions are larger than this server accepts."],
};

/** The raw HTTP/1.1 answer for a parser error: status, JSON body, Connection: close. */
export function clientErrorResponse(parserCode: string | undefined): string {
  const [code, message] = BY_PARSER_CODE[parserCode ?? ""] ?? (["bad_request", "The request is not valid HTTP/1.1."] as const);
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({ error: { code, message } });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`
  );
}

/** A server's "clientError" listener. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    if (socket.writable) socket.end(clientErrorResponse(err.code));
    else socket.destroy();
  };
  const pending = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (!pending || pending.writableFinished) {
    answer();
    return;
  }
  // A request still being answered: when the error is that very request timing out (its body is
  // still arriving), there is no earlier answer to wait for; the connection is cut, as Node does.
  if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    socket.destroy();
    return;
  }
  // Otherwise the answer an earlier pipelined request is waiting for goes out first (bounded wait).
  const giveUp = setTimeout(() => socket.destroy(), PENDING_ANSWER_WAIT_MS);
  const after = () => {
    clearTimeout(giveUp);
    answer();
  };
  pending.once("finish", after);
  pending.once("close", after);
}
