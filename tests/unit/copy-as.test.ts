// Copy-as generators: exact text for the nasty cases, and — where curl and bash exist — the
// generated curl command actually run against a raw HTTP server, comparing bytes on the wire.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ansiCQuote,
  inlineText,
  needsBodyFile,
  shellQuote,
  shellQuoteWire,
  shellTargetUrl,
  toCurl,
  toFetch,
  toHttpie,
  type CopyAsRequest,
} from "@/lib/export/copy-as";

const enc = (s: string) => new TextEncoder().encode(s);
const URL0 = "http://127.0.0.1:3000/in/tok123/hooks?x=1&y=a%20b";

function req(over: Partial<CopyAsRequest> = {}): CopyAsRequest {
  return { id: "cap_abc", method: "POST", url: URL0, headers: [], body: new Uint8Array(), ...over };
}

describe("shell quoting", () => {
  it("single-quotes and escapes quotes as '\\''", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
    expect(shellQuote('a\nb $HOME `x` "q" \\')).toBe("'a\nb $HOME `x` \"q\" \\'");
  });
  it("turns latin1 header strings back into their wire bytes", () => {
    // "café" sent as UTF-8 arrives as the latin1 characters c a f Ã ©
    expect(shellQuoteWire("caf\u00c3\u00a9")).toBe("'café'");
    // a lone 0xE9 byte is not UTF-8: ANSI-C quoting
    expect(shellQuoteWire("caf\u00e9")).toBe("$'caf\\xe9'");
    expect(shellQuoteWire("tab\there")).toBe("$'tab\\x09here'");
    expect(ansiCQuote(enc("a'b\\c"))).toBe("$'a\\'b\\\\c'");
  });
  it("uses $TARGET_URL with the capture URL as the default, exact even for shell-special URLs", () => {
    expect(shellTargetUrl(URL0)).toBe(`"\${TARGET_URL:-${URL0}}"`);
    expect(shellTargetUrl("http://h/in/t/a$b'c}")).toBe(`"\${TARGET_URL:-$(printf %s 'http://h/in/t/a$b'\\''c}')}"`);
  });
});

describe("inlineText", () => {
  it("inlines UTF-8 text with tabs and newlines, not control bytes, invalid UTF-8, a BOM or huge bodies", () => {
    expect(inlineText(enc('{"a":"é 🚀"}\n\t'))).toBe('{"a":"é 🚀"}\n\t');
    expect(inlineText(enc("a\r\nb"))).toBeNull();
    expect(inlineText(new Uint8Array([0x41, 0x00]))).toBeNull();
    expect(inlineText(new Uint8Array([0xc3, 0x28]))).toBeNull();
    expect(inlineText(enc("\ufeffhi"))).toBeNull();
    expect(inlineText(enc("x".repeat(10)), 5)).toBeNull();
    expect(inlineText(new Uint8Array())).toBe("");
  });
});

describe("curl", () => {
  it("a JSON POST: method, placeholder URL, headers in wire order minus hop-by-hop, quoted body", () => {
    const out = toCurl(
      req({
        headers: [
          ["Host", "127.0.0.1:3000"],
          ["Content-Type", "application/json"],
          ["X-Quote", `it's "quoted"`],
          ["Content-Length", "24"],
          ["Connection", "keep-alive"],
          ["User-Agent", "Stripe/1.0"],
          ["Accept", "*/*"],
          ["X-Dup", "one"],
          ["X-Dup", "two"],
        ],
        body: enc(`{"msg":"it's","n":"é🚀"}`),
      }),
    );
    expect(out).toBe(
      [
        "curl -X POST",
        `"\${TARGET_URL:-${URL0}}"`,
        "-H 'Content-Type: application/json'",
        `-H 'X-Quote: it'\\''s "quoted"'`,
        "-H 'User-Agent: Stripe/1.0'",
        "-H 'Accept: */*'",
        "-H 'X-Dup: one'",
        "-H 'X-Dup: two'",
        `--data-binary '{"msg":"it'\\''s","n":"é🚀"}'`,
      ].join(" \\\n  "),
    );
  });

  it("a binary body reads the raw body file; the tool's own headers are switched off", () => {
    const r = req({ method: "PUT", headers: [["Content-Length", "3"]], body: new Uint8Array([0xde, 0xad, 0x00]) });
    const out = toCurl(r);
    expect(out).toContain("--data-binary @cap_abc.bin");
    expect(out).toContain("-H 'User-Agent:'");
    expect(out).toContain("-H 'Accept:'");
    expect(out).toContain("-H 'Content-Type:'");
    expect(needsBodyFile(r)).toBe(true);
  });

  it("GET and HEAD without a body; HEAD uses --head so curl does not wait for a body", () => {
    expect(
      toCurl(
        req({
          method: "GET",
          headers: [
            ["User-Agent", "x"],
            ["Accept", "*/*"],
          ],
        }),
      ),
    ).toBe(`curl "\${TARGET_URL:-${URL0}}" \\\n  -H 'User-Agent: x' \\\n  -H 'Accept: */*'`);
    expect(
      toCurl(
        req({
          method: "HEAD",
          headers: [
            ["User-Agent", "x"],
            ["Accept", "*/*"],
          ],
        }),
      ),
    ).toMatch(/^curl --head \\\n {2}"/);
  });

  it("an empty body declared with Content-Length: 0 is sent as such; none declared, none sent", () => {
    expect(toCurl(req({ headers: [["Content-Length", "0"]] }))).toContain("--data-binary ''");
    expect(toCurl(req({ headers: [] }))).not.toContain("--data-binary");
  });

  it("newlines in a header value and empty header values", () => {
    const out = toCurl(
      req({
        method: "GET",
        headers: [
          ["X-Multi", "a\nb"],
          ["X-Empty", ""],
        ],
      }),
    );
    expect(out).toContain("-H $'X-Multi: a\\x0ab'");
    expect(out).toContain("-H 'X-Empty;'");
  });

  it("turns globbing off for brackets and keeps dot segments", () => {
    const out = toCurl(req({ method: "GET", url: "http://h/in/t/../a?f[]=1" }));
    expect(out).toContain("--globoff");
    expect(out).toContain("--path-as-is");
  });
});

describe("HTTPie", () => {
  it("headers as Name:value items, text body with --raw, defaults removed", () => {
    const out = toHttpie(
      req({
        headers: [
          ["Content-Type", "text/plain"],
          ["X-Q", "it's"],
          ["X-E", ""],
        ],
        body: enc("hi\nthere 'you'"),
      }),
    );
    expect(out).toBe(
      [
        "http --ignore-stdin POST",
        `"\${TARGET_URL:-${URL0}}"`,
        "'Content-Type:text/plain'",
        `'X-Q:it'\\''s'`,
        "'X-E;'",
        "'User-Agent:'",
        "'Accept:'",
        "'Accept-Encoding:'",
        `--raw 'hi\nthere '\\''you'\\'''`,
      ].join(" \\\n  "),
    );
  });
  it("a binary body comes from the raw body file on stdin", () => {
    const out = toHttpie(req({ body: new Uint8Array([0xff, 0xfe]) }));
    expect(out).not.toContain("--ignore-stdin");
    expect(out.endsWith("< cap_abc.bin")).toBe(true);
  });
  it("GET without a body", () => {
    expect(
      toHttpie(
        req({
          method: "GET",
          headers: [
            ["Accept", "*/*"],
            ["User-Agent", "u"],
            ["Accept-Encoding", "gzip"],
          ],
        }),
      ),
    ).toBe(`http --ignore-stdin GET \\\n  "\${TARGET_URL:-${URL0}}" \\\n  'Accept:*/*' \\\n  'User-Agent:u' \\\n  'Accept-Encoding:gzip'`);
  });
});

describe("fetch", () => {
  it("inlines text as a JS string and keeps header bytes as \\xNN", () => {
    const out = toFetch(
      req({
        headers: [
          ["Content-Type", "application/json"],
          ["X-L", "caf\u00c3\u00a9"],
          ["Host", "h"],
        ],
        body: enc('{"q":"it\'s \\"x\\"\u2028"}'),
      }),
    );
    expect(out).toContain(`const TARGET_URL = "${URL0}";`);
    expect(out).toContain('["X-L", "caf\\xc3\\xa9"],');
    expect(out).not.toContain('"Host"');
    expect(out).toContain(`body: "{\\"q\\":\\"it's \\\\\\"x\\\\\\"\\u2028\\"}",`);
  });
  it("decodes a binary body from base64", () => {
    const out = toFetch(req({ body: new Uint8Array([0, 255, 10]) }));
    expect(out).toContain('const body = Uint8Array.from(atob("AP8K"), (c) => c.charCodeAt(0)); // 3 bytes');
    expect(out).toContain("  body: body,");
  });
  it("encodes text itself when the capture had no Content-Type, and leaves GET bodies out with a note", () => {
    expect(toFetch(req({ body: enc("x") }))).toContain('body: new TextEncoder().encode("x"),');
    const get = toFetch(req({ method: "GET", body: enc("x") }));
    expect(get).toContain("fetch cannot send a body with GET");
    expect(get).not.toContain("body:");
  });
  it("the generated snippet runs and sends the exact bytes", async () => {
    const body = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a]);
    const got: { headers: string[]; body: Buffer }[] = [];
    const srv = await listen(got);
    try {
      const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/in/t/p?q=1`;
      const code = toFetch(
        req({
          url,
          method: "PUT",
          headers: [
            ["X-A", "1"],
            ["Content-Type", "application/octet-stream"],
          ],
          body,
        }),
      );
      const run = new Function("fetch", "atob", `return (async () => { ${code.replace("console.log", "void")} })()`);
      await run(fetch, atob);
      expect(got[0]!.body.equals(Buffer.from(body))).toBe(true);
      expect(pairs(got[0]!.headers)).toEqual(
        expect.arrayContaining([
          ["x-a", "1"],
          ["content-type", "application/octet-stream"],
        ]),
      );
    } finally {
      srv.close();
    }
  });
});

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return out;
}

function listen(got: { headers: string[]; body: Buffer }[]): Promise<Server> {
  return new Promise((resolve) => {
    const srv = createServer((r: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => {
        // Node gives raw header values as latin1 strings, like the capture door stores them.
        got.push({ headers: r.rawHeaders, body: Buffer.concat(chunks) });
        res.end("ok");
      });
    });
    srv.listen(0, "127.0.0.1", () => resolve(srv));
  });
}

const haveCurl = existsSync("/usr/bin/curl") && existsSync("/bin/bash");

describe.skipIf(!haveCurl)("the curl command, run by bash, sends the captured request", () => {
  let srv: Server;
  let dir: string;
  const got: { headers: string[]; body: Buffer }[] = [];
  beforeAll(async () => {
    srv = await listen(got);
    dir = mkdtempSync(path.join(os.tmpdir(), "copy-as-"));
  });
  afterAll(() => {
    srv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (cmd: string, env: Record<string, string> = {}) =>
    new Promise<void>((resolve, reject) =>
      execFile("bash", ["-c", cmd], { cwd: dir, env: { PATH: process.env.PATH!, ...env } as unknown as NodeJS.ProcessEnv }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );

  const cases: [string, Partial<CopyAsRequest>][] = [
    [
      "unicode JSON with quotes",
      {
        headers: [
          ["Content-Type", "application/json"],
          ["X-Q", `it's "q" $HOME \`x\``],
        ],
        body: enc(`{"a":"it's é 🚀 $HOME \`x\` \\\\"}\n`),
      },
    ],
    [
      "binary via the body file",
      { method: "PATCH", headers: [["Content-Type", "application/octet-stream"]], body: new Uint8Array([0, 1, 2, 0xff, 0x0d, 0x0a, 0x27]) },
    ],
    [
      "CRLF text via the body file",
      { headers: [["Content-Type", "multipart/form-data; boundary=x"]], body: enc("--x\r\nA: b\r\n\r\nv\r\n--x--\r\n") },
    ],
    [
      "latin1 and UTF-8 header bytes",
      {
        method: "GET",
        headers: [
          ["X-Utf8", "caf\u00c3\u00a9"],
          ["X-Latin1", "caf\u00e9"],
          ["X-Empty", ""],
        ],
      },
    ],
    ["empty body", { headers: [["Content-Length", "0"]] }],
  ];

  it.each(cases)("%s", async (_name, over) => {
    const port = (srv.address() as { port: number }).port;
    const r = req({ ...over, url: `http://127.0.0.1:${port}/in/t/p?x=1&y='q'` });
    if (needsBodyFile(r)) writeFileSync(path.join(dir, "cap_abc.bin"), r.body);
    got.length = 0;
    await run(toCurl(r));
    expect(got).toHaveLength(1);
    expect(got[0]!.body.equals(Buffer.from(r.body))).toBe(true);
    const sent = pairs(got[0]!.headers).filter(([n]) => n !== "host" && n !== "content-length");
    const want = r.headers.filter(([n]) => n.toLowerCase() !== "content-length").map(([n, v]) => [n.toLowerCase(), v]);
    expect(sent).toEqual(want);
  });

  it("honours TARGET_URL", async () => {
    const port = (srv.address() as { port: number }).port;
    got.length = 0;
    await run(toCurl(req({ method: "GET", url: "http://127.0.0.1:1/nowhere" })), { TARGET_URL: `http://127.0.0.1:${port}/elsewhere` });
    expect(got).toHaveLength(1);
  });
});
