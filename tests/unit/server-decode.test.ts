import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentEncodings, decodeForViewing } from "@/lib/capture/decode";

const json = Buffer.from(JSON.stringify({ event: "invoice.paid", lines: Array.from({ length: 50 }, (_, i) => ({ i })) }));
const ce = (value: string): [string, string][] => [["Content-Encoding", value]];

describe("server-side Content-Encoding decoding for viewing", () => {
  it.each([
    ["gzip", gzipSync(json)],
    ["x-gzip", gzipSync(json)],
    ["br", brotliCompressSync(json)],
    ["deflate", deflateSync(json)],
    ["deflate", deflateRawSync(json)], // raw deflate, as many senders send it
    ["gzip, br", brotliCompressSync(gzipSync(json))],
  ])("decodes %s", async (coding, body) => {
    const r = await decodeForViewing(body, ce(coding));
    expect(r.status).toBe("decoded");
    expect(r.status === "decoded" && Buffer.compare(r.bytes, json)).toBe(0);
  });

  it("stops a brotli bomb at the cap and reports it truncated", async () => {
    // Quality 5: the bomb is as small as at 11 for zeros, and compressing 64 MiB takes ~0.1 s instead of 2 s (5 s under load).
    const bomb = brotliCompressSync(Buffer.alloc(64 * 1024 * 1024), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const before = process.memoryUsage().rss;
    const r = await decodeForViewing(bomb, ce("br"));
    expect(r.status).toBe("truncated");
    expect(r.status === "truncated" && r.bytes.length).toBe(Math.min(10 * 1024 * 1024, Math.max(64 * 1024, bomb.length * 100)));
    expect(process.memoryUsage().rss - before).toBeLessThan(60 * 1024 * 1024);
  });

  it("reports corrupt data and unknown codings without throwing", async () => {
    expect((await decodeForViewing(Buffer.from("not gzip"), ce("gzip"))).status).toBe("failed");
    expect((await decodeForViewing(json, ce("zstd"))).status).toBe("unsupported");
    expect((await decodeForViewing(json, [])).status).toBe("unsupported");
  });

  it("reads the coding list across repeated headers, in order, without identity", () => {
    expect(
      contentEncodings([
        ["content-encoding", "gzip"],
        ["X", "y"],
        ["Content-Encoding", "identity, BR"],
      ]),
    ).toEqual(["gzip", "br"]);
  });
});
