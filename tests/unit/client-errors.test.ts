// Node's own parser refusals answered as JSON with the error table's statuses (lib/door/client-errors.ts).
import { describe, expect, it } from "vitest";
import { clientErrorResponse } from "@/lib/door/client-errors";

function parse(raw: string) {
  const [head, body] = raw.split("\r\n\r\n") as [string, string];
  const [status, ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 2)]));
  return { status, headers, body: JSON.parse(body) as { error: { code: string; message: string } }, bodyBytes: Buffer.byteLength(body) };
}

describe("clientErrorResponse", () => {
  it.each([
    ["HPE_HEADER_OVERFLOW", "HTTP/1.1 431 Request Header Fields Too Large", "headers_too_large"],
    ["ERR_HTTP_REQUEST_TIMEOUT", "HTTP/1.1 408 Request Timeout", "request_timeout"],
    ["HPE_CHUNK_EXTENSIONS_OVERFLOW", "HTTP/1.1 413 Payload Too Large", "body_too_large"],
    ["HPE_INVALID_METHOD", "HTTP/1.1 400 Bad Request", "bad_request"],
    [undefined, "HTTP/1.1 400 Bad Request", "bad_request"],
  ])("%s → %s (%s)", (parserCode, status, code) => {
    const r = parse(clientErrorResponse(parserCode));
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message.length).toBeGreaterThan(10);
    expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(r.headers["content-length"]).toBe(String(r.bodyBytes));
    expect(r.headers.connection).toBe("close");
  });
});
