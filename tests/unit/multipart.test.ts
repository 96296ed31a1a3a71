import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { indexOfBytes } from "@/lib/body/bytes";
import { multipartBoundary, parseMultipart } from "@/lib/body/multipart";

const enc = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const cat = (...parts: (string | Uint8Array)[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p)))));
const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");

describe("multipartBoundary", () => {
  it.each([
    ["multipart/form-data; boundary=abc123", "abc123"],
    ['multipart/form-data; boundary="a b;c=d"', "a b;c=d"],
    ['Multipart/Form-Data; charset=utf-8; BOUNDARY="q\\"x"', 'q"x'],
    ["multipart/mixed;boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", "----WebKitFormBoundary7MA4YWxkTrZu0gW"],
    ["multipart/form-data", null],
    ["multipart/form-data; boundary=", null],
    ["application/json; boundary=abc", null],
    [null, null],
    [`multipart/form-data; boundary=${"x".repeat(201)}`, null],
  ])("%s -> %s", (ct, expected) => {
    expect(multipartBoundary(ct)).toBe(expected);
  });
});

describe("parseMultipart", () => {
  it("keeps a binary file part byte-exact, including CR, LF and dashes inside it", () => {
    const file = new Uint8Array([0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0x58, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0d]);
    const body = cat(
      "--XyZ\r\n",
      'Content-Disposition: form-data; name="note"\r\n\r\n',
      "hello\r\nworld",
      "\r\n--XyZ\r\n",
      'Content-Disposition: form-data; name="upload"; filename="../../etc/passwd"\r\nContent-Type: image/png\r\n\r\n',
      file,
      "\r\n--XyZ--\r\n",
    );
    const r = parseMultipart(body, "XyZ");
    expect(r.closed).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.parts).toHaveLength(2);
    expect(text(r.parts[0]!.body)).toBe("hello\r\nworld");
    expect(r.parts[0]!.name).toBe("note");
    expect(r.parts[0]!.filename).toBeNull();
    const p = r.parts[1]!;
    expect(Buffer.from(p.body).equals(Buffer.from(file))).toBe(true);
    expect(Buffer.from(body.subarray(p.start, p.end)).equals(Buffer.from(file))).toBe(true);
    expect(p.filename).toBe("../../etc/passwd");
    expect(p.contentType).toBe("image/png");
    expect(p.headers).toEqual([
      ["Content-Disposition", 'form-data; name="upload"; filename="../../etc/passwd"'],
      ["Content-Type", "image/png"],
    ]);
  });

  it("round-trips random binary files byte-exact", () => {
    for (let n = 0; n < 20; n++) {
      const files = [randomBytes(n * 97), randomBytes(1 + n)];
      const body = cat(
        "preamble ignored\r\n--bnd\r\n",
        'Content-Disposition: form-data; name="a"; filename="a.bin"\r\n\r\n',
        files[0]!,
        "\r\n--bnd\r\n",
        'Content-Disposition: form-data; name="b"; filename="b.bin"\r\n\r\n',
        files[1]!,
        "\r\n--bnd--",
      );
      const r = parseMultipart(body, "bnd");
      expect(r.parts.map((p) => Buffer.from(p.body).toString("hex"))).toEqual(files.map((f) => f.toString("hex")));
    }
  });

  it.each([
    ["LF-only line breaks", '--b\nContent-Disposition: form-data; name="x"\n\nval\n--b--\n', ["val"], true],
    ["a preamble and an epilogue", 'junk\r\n--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--b--\r\nepilogue', ["v"], true],
    ["transport padding after the boundary", '--b  \t\r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--b--', ["v"], true],
    ["an empty part body", '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n--b--', [""], true],
    ["an empty body glued to the blank line", '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n--b--', [""], true],
    [
      "a missing final boundary",
      '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nrest of the body\r\n',
      ["rest of the body\r\n"],
      false,
    ],
    ["a final delimiter without its dashes", '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--b\r\n', ["v"], false],
    [
      "the boundary as a prefix of body text",
      '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nline\r\n--bx not a delimiter\r\n--b--',
      ["line\r\n--bx not a delimiter"],
      true,
    ],
    ["no headers at all", "--b\r\n\r\nbare\r\n--b--", ["bare"], true],
  ])("tolerates %s", (_name, raw, bodies, closed) => {
    const r = parseMultipart(enc(raw), "b");
    expect(r.parts.map((p) => text(p.body))).toEqual(bodies);
    expect(r.closed).toBe(closed);
    if (!closed) expect(r.warnings.join(" ")).toMatch(/closing boundary is missing|^$/);
  });

  it("says when the boundary never occurs", () => {
    const r = parseMultipart(enc("just text"), "b");
    expect(r.parts).toEqual([]);
    expect(r.warnings[0]).toMatch(/does not occur/);
  });

  it("handles a header block without its blank line", () => {
    const r = parseMultipart(
      enc('--b\r\nContent-Disposition: form-data; name="x"\r\n--b\r\nContent-Disposition: form-data; name="y"\r\n\r\nY\r\n--b--'),
      "b",
    );
    expect(r.parts.map((p) => [p.name, text(p.body)])).toEqual([
      ["x", ""],
      ["y", "Y"],
    ]);
    expect(r.warnings.join(" ")).toMatch(/no blank line/);
  });

  it("works with a boundary that needed quoting", () => {
    const ct = 'multipart/form-data; boundary="we ird:b=1"';
    const b = multipartBoundary(ct)!;
    const r = parseMultipart(enc(`--${b}\r\nContent-Disposition: form-data; name="q"\r\n\r\nok\r\n--${b}--\r\n`), b);
    expect(r.parts.map((p) => text(p.body))).toEqual(["ok"]);
  });

  it("decodes RFC 8187 filenames, folded headers and UTF-8 names", () => {
    const raw = cat(
      "--b\r\n",
      'Content-Disposition: form-data; name="f";\r\n\tfilename="fallback.txt"; filename*=UTF-8\'\'%E2%82%AC%20rates.txt\r\n\r\n',
      "x\r\n--b\r\n",
      Buffer.from('Content-Disposition: form-data; name="naïve"; filename="日本.txt"\r\n\r\ny\r\n--b--', "utf8"),
    );
    const r = parseMultipart(raw, "b");
    expect(r.parts[0]!.filename).toBe("€ rates.txt");
    expect(r.parts[1]!.name).toBe("naïve");
    expect(r.parts[1]!.filename).toBe("日本.txt");
  });

  it("caps the number of parts", () => {
    const many = `${Array.from({ length: 1500 }, (_, i) => `--b\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${i}\r\n`).join("")}--b--`;
    const r = parseMultipart(enc(many), "b", { maxParts: 1000, maxHeaderBytes: 16384 });
    expect(r.parts).toHaveLength(1000);
    expect(r.truncated).toBe(true);
    expect(text(r.parts[999]!.body)).toBe("999");
    expect(r.warnings.join(" ")).toMatch(/first 1000 parts/);
  });

  it("parses many parts quickly", () => {
    const many = `${Array.from({ length: 900 }, (_, i) => `--b\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${"v".repeat(i)}\r\n`).join("")}--b--`;
    const r = parseMultipart(enc(many), "b");
    expect(r.parts).toHaveLength(900);
    expect(r.parts.every((p, i) => p.body.length === i && p.name === `f${i}`)).toBe(true);
  });

  it("never throws on garbage", () => {
    const inputs = ["--b", "--b--", "--b\r\n", "--b\r\nX", "--b\r\nX: y", "\n--b\n\n", "--b\r\n\r\n--b\r\n\r\n--b", "--bb--b--"];
    for (const s of inputs) expect(() => parseMultipart(enc(s), "b")).not.toThrow();
    for (let i = 0; i < 200; i++) {
      const noise = randomBytes(200);
      noise.set(Buffer.from("\r\n--b\r\n"), i % 190);
      expect(() => parseMultipart(new Uint8Array(noise), "b")).not.toThrow();
    }
  });
});

describe("indexOfBytes", () => {
  it.each([
    ["hello world", "world", 0, 6],
    ["hello world", "o", 5, 7],
    ["aaaaab", "aab", 0, 3],
    ["abc", "abcd", 0, -1],
    ["abc", "", 1, 1],
    ["xx--bnd--bnd", "--bnd", 3, 7],
  ])("%s / %s from %i", (hay, needle, from, expected) => {
    expect(indexOfBytes(enc(hay), enc(needle), from)).toBe(expected);
  });
});
