// The one reader of API request bodies. It streams with a byte cap (API_MAX_JSON_BYTES unless a
// route says otherwise): a body that declares more than the cap in Content-Length is refused before
// any of it is read, and one that streams past the cap (chunked, or lying) is refused as soon as it
// does, so no more than the cap plus one chunk is ever held. Unbounded, a 200 MB body was buffered
// and parsed: +1.3 GB RSS.
import type { ZodType } from "zod";
import { config } from "../config";
import { AppError } from "../errors";
import { assertNoNulInJson } from "./text-input";

export interface ReadJsonOptions {
  /** Largest body read, in bytes; API_MAX_JSON_BYTES by default. */
  maxBytes?: number;
  /** Replay bodies travel as bytes and may hold NUL as text (lib/http/text-input.ts); other bodies may not. */
  allowNul?: boolean;
}

export function bodyTooLarge(maxBytes: number): AppError {
  return new AppError("body_too_large", `The request body is larger than this API accepts (${maxBytes} bytes).`);
}

/** The largest JSON body a route that carries a whole capture body as base64 takes (×4/3, plus 1 MiB for the rest). */
export function captureSizedJsonCap(maxBodyBytes = config().MAX_BODY_BYTES): number {
  return Math.ceil((maxBodyBytes * 4) / 3) + 1024 * 1024;
}

/** The body's bytes, at most `maxBytes` of them; 413 `body_too_large` beyond. */
export async function readBodyCapped(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await req.body?.cancel().catch(() => {});
    throw bodyTooLarge(maxBytes);
  }
  if (!req.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** The body as UTF-8 text, capped like readBodyCapped. */
export async function readTextCapped(req: Request, maxBytes = config().API_MAX_JSON_BYTES): Promise<string> {
  return (await readBodyCapped(req, maxBytes)).toString("utf8");
}

/** Reads, parses and validates a JSON body (an empty body is `{}`): 413, 400 `invalid_json`, 422. */
export async function readJson<T>(req: Request, schema: ZodType<T>, opts: ReadJsonOptions = {}): Promise<T> {
  const text = await readTextCapped(req, opts.maxBytes ?? config().API_MAX_JSON_BYTES);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  if (!opts.allowNul) assertNoNulInJson(body);
  return schema.parse(body);
}
