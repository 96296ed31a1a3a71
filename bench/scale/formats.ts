// Body formats of the corpus: multipart uploads, XML, binary, gzip-encoded JSON, generic API calls.
import { gzipSync } from "node:zlib";
import type { HeaderPairs } from "../../lib/model/capture";
import type { SampleRequest } from "./corpus";
import { type Gen, RANDOM, WORDS } from "./gen";

export function formats(g: Gen) {
  const { rand, int, pick, hex, uuid, user, words, filler, size, common, json, base } = g;
  const multipart = (): SampleRequest => {
    const boundary = `----WebKitFormBoundary${hex(8)}`;
    const file = RANDOM.subarray(0, Math.max(2048, size()));
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="user"\r\n\r\n${user()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${pick(WORDS)}.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return base(
      "multipart",
      pick(["POST", "POST", "PUT"]),
      "/upload",
      common(`multipart/form-data; boundary=${boundary}`, body, [
        ["User-Agent", "curl/8.5.0"],
        ["Accept", "*/*"],
      ]),
      body,
    );
  };

  const xml = (): SampleRequest => {
    const body = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<notification><id>${hex(8)}</id><user>${user()}</user><status>${pick(["ok", "failed", "timeout"])}</status><message>${words(size() - 160)}</message></notification>\n`,
    );
    return base(
      "xml",
      "POST",
      pick(["/soap/notify", "/xml"]),
      common(pick(["application/xml", "text/xml; charset=utf-8"]), body, [
        ["User-Agent", "Apache-HttpClient/4.5.14 (Java/17.0.9)"],
        ["SOAPAction", '"urn:notify"'],
      ]),
      body,
    );
  };

  const binary = (): SampleRequest => {
    const at = int(0, RANDOM.length - 2 * 1024 * 1024 + 1);
    const body = RANDOM.subarray(at, at + Math.min(size(), 2 * 1024 * 1024 - 1));
    return base(
      "binary",
      "POST",
      "/ingest/blob",
      common("application/octet-stream", body, [
        ["User-Agent", "Go-http-client/1.1"],
        ["X-Request-Id", uuid()],
      ]),
      body,
    );
  };

  const gzip = (): SampleRequest => {
    const text = JSON.stringify({
      id: uuid(),
      user: user(),
      level: pick(["info", "warn", "error"]),
      message: rand() < 0.2 ? "upstream timeout after 30s" : words(int(50, 400)),
      blob: filler(int(200, 1200)),
    });
    const body = gzipSync(text);
    return base(
      "gzip",
      "POST",
      "/api/v1/events",
      common("application/json", body, [
        ["User-Agent", "Vector/0.39.0"],
        ["Content-Encoding", "gzip"],
        ["Authorization", `Bearer ${hex(16)}`],
      ]),
      body,
    );
  };

  const generic = (): SampleRequest => {
    const method = pick(["GET", "GET", "POST", "PUT", "PATCH", "DELETE"]);
    const query = new URLSearchParams({
      user: user(),
      id: String(int(1, 1e6)),
      ...(rand() < 0.5 && { status: pick(["ok", "error", "timeout"]) }),
    }).toString();
    const body =
      method === "GET" || method === "DELETE" ? Buffer.alloc(0) : json({ user: user(), amount: int(1, 5000), ok: rand() < 0.9 }, size());
    const headers: HeaderPairs = [
      ["Host", "hooks.example.com"],
      ["User-Agent", pick(["curl/8.5.0", "python-requests/2.32.3", "axios/1.7.2", "PostmanRuntime/7.39.0"])],
      ["Accept", "*/*"],
    ];
    if (rand() < 0.5) headers.push(["Authorization", `Bearer ${hex(16)}`]);
    if (body.length) headers.push(["Content-Type", "application/json"], ["Content-Length", String(body.length)]);
    return base("generic", method, pick(["/hooks/ping", "/api/v1/events", "/callback", ""]), headers, body, query);
  };

  return { multipart, xml, binary, gzip, generic };
}
