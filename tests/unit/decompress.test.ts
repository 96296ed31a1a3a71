import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentEncodings, decodeContent, DECODE_LIMITS, inflateBounded } from "@/lib/body/decode";

const u8 = (b: Buffer) => new Uint8Array(b);
const json = Buffer.from(JSON.stringify({ event: "order.paid", items: Array.from({ length: 50 }, (_, i) => ({ sku: `s${i}`, qty: i })) }));

describe("contentEncodings", () => {
  it.each([
    [[["Content-Encoding", "gzip"]], ["gzip"]],
    [[["content-encoding", "x-gzip"]], ["gzip"]],
    [[["Content-Encoding", "deflate, gzip"]], ["deflate", "gzip"]],
    [
      [
        ["Content-Encoding", "gzip"],
        ["Content-Encoding", "BR"],
      ],
      ["gzip", "br"],
    ],
    [[["Content-Encoding", "identity"]], []],
    [[["Content-Type", "gzip"]], []],
    [[], []],
  ] as [[string, string][], string[]][])("%j", (headers, expected) => {
    expect(contentEncodings(headers)).toEqual(expected);
  });
});

describe("decodeContent", () => {
  it.each([
    ["gzip", ["gzip"], u8(gzipSync(json))],
    ["zlib deflate", ["deflate"], u8(deflateSync(json))],
    ["raw deflate sent as deflate", ["deflate"], u8(deflateRawSync(json))],
    ["deflate then gzip", ["deflate", "gzip"], u8(gzipSync(deflateSync(json)))],
  ])("decodes %s", async (_name, encodings, input) => {
    const r = await decodeContent(input, encodings);
    expect(r.status).toBe("decoded");
    if (r.status === "decoded") expect(Buffer.from(r.bytes).equals(json)).toBe(true);
  });

  it("reports brotli as unavailable", async () => {
    expect(await decodeContent(u8(brotliCompressSync(json)), ["br"])).toMatchObject({
      status: "unsupported",
      reason: /brotli preview unavailable/,
    });
    expect(await decodeContent(u8(json), ["zstd"])).toMatchObject({ status: "unsupported", reason: /no decoder for zstd/ });
  });

  it("reports corrupt data with what decoded before the error", async () => {
    const gz = gzipSync(json);
    const cut = u8(gz.subarray(0, gz.length - 12));
    const r = await decodeContent(cut, ["gzip"]);
    expect(r.status).toBe("failed");
    expect(await decodeContent(u8(Buffer.from("not gzip at all")), ["gzip"])).toMatchObject({ status: "failed", reason: /not valid gzip/ });
  });

  it("stops a gzip bomb at the absolute cap", async () => {
    const bomb = u8(gzipSync(Buffer.alloc(64 * 1024 * 1024))); // ~64 KiB that inflates to 64 MiB
    const limits = { ...DECODE_LIMITS, maxRatio: 10_000 };
    const r = await decodeContent(bomb, ["gzip"], limits);
    expect(r.status).toBe("truncated");
    if (r.status === "truncated") {
      expect(r.bytes.length).toBe(DECODE_LIMITS.maxOutputBytes);
      expect(r.reason).toMatch(/capped at 10 MiB/);
    }
  });

  it("stops at 100x the stored size", async () => {
    const bomb = u8(gzipSync(Buffer.alloc(32 * 1024 * 1024)));
    const r = await decodeContent(bomb, ["gzip"]);
    expect(r.status).toBe("truncated");
    if (r.status === "truncated") {
      expect(r.bytes.length).toBe(Math.max(DECODE_LIMITS.minBudget, bomb.length * 100));
      expect(r.bytes.length).toBeLessThan(DECODE_LIMITS.maxOutputBytes);
      expect(r.reason).toMatch(/100× the stored size/);
    }
  });

  it("bounds a nested bomb (gzip of gzip) at every layer", async () => {
    const inner = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    const outer = u8(gzipSync(inner));
    const r = await decodeContent(outer, ["gzip", "gzip"]);
    expect(["truncated", "failed"]).toContain(r.status);
    if (r.status !== "unsupported") expect(r.bytes.length).toBeLessThanOrEqual(DECODE_LIMITS.maxOutputBytes);
  });

  it("inflateBounded returns exactly the limit", async () => {
    const r = await inflateBounded("gzip", u8(gzipSync(Buffer.alloc(100_000, 7))), 12_345);
    expect(r).toMatchObject({ truncated: true, error: null });
    expect(r.bytes.length).toBe(12_345);
    expect(r.bytes.every((b) => b === 7)).toBe(true);
  });
});
