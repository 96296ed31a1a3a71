import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { captureSizedJsonCap, readJson } from "@/lib/http/read-json";

const anything = z.unknown();

/** A request whose body arrives in `chunks` (no Content-Length unless given), counting what was pulled. */
function streamed(chunks: string[], headers: Record<string, string> = {}) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled++];
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
  });
  const req = new Request("http://x/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { req, pulled: () => pulled };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("readJson: byte-capped JSON bodies", () => {
  it("parses a body within the cap, and an empty one as {}", async () => {
    expect(await readJson(streamed(['{"a":', "1}"]).req, anything, { maxBytes: 7 })).toEqual({ a: 1 });
    expect(await readJson(streamed([]).req, anything, { maxBytes: 10 })).toEqual({});
  });

  it("refuses a declared Content-Length over the cap before reading any of it", async () => {
    const { req, pulled } = streamed(['{"a":1}'], { "content-length": "100" });
    const err = await failure(readJson(req, anything, { maxBytes: 10 }));
    expect([err.status, err.code]).toEqual([413, "body_too_large"]);
    expect(err.message).toContain("10 bytes");
    expect(pulled()).toBe(0);
  });

  it("stops a streamed body as soon as it passes the cap (no Content-Length)", async () => {
    const chunks = Array.from({ length: 1000 }, () => "x".repeat(1024));
    const { req, pulled } = streamed(chunks);
    const err = await failure(readJson(req, anything, { maxBytes: 4096 }));
    expect([err.status, err.code]).toEqual([413, "body_too_large"]);
    expect(pulled()).toBeLessThanOrEqual(6);
  });

  it("answers bad JSON with 400, a schema mismatch with a ZodError, a NUL with 422 unless allowed", async () => {
    expect((await failure(readJson(streamed(["{nope"]).req, anything))).code).toBe("invalid_json");
    await expect(readJson(streamed(['{"a":"x"}']).req, z.object({ a: z.number() }))).rejects.toThrow(z.ZodError);
    expect((await failure(readJson(streamed(['{"a":"\\u0000"}']).req, anything))).status).toBe(422);
    expect(await readJson(streamed(['{"a":"\\u0000"}']).req, anything, { allowNul: true })).toEqual({ a: "\u0000" });
  });

  it("uses API_MAX_JSON_BYTES (1 MiB) by default", async () => {
    const big = `"${"x".repeat(1024 * 1024)}"`;
    expect((await failure(readJson(streamed([big]).req, anything))).code).toBe("body_too_large");
  });

  it("sizes the capture-carrying cap for a whole body as base64", () => {
    expect(captureSizedJsonCap(3 * 1024 * 1024)).toBe(4 * 1024 * 1024 + 1024 * 1024);
  });
});
