// Request bodies of the replay routes: JSON read with a byte cap (a replay may carry a whole
// capture body as base64), and the shared zod pieces.
import type { NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import { AppError } from "../errors";

/** Reads and parses a JSON body of at most `maxBytes`; 413 `body_too_large` beyond it (the same code and status as the capture door). */
export async function readJsonCapped<T>(req: NextRequest, schema: ZodType<T>, maxBytes: number): Promise<T> {
  const tooLarge = () => new AppError("body_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let body: unknown;
  try {
    const text = Buffer.concat(chunks).toString("utf8");
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  return schema.parse(body);
}

/** `[[name, value]…]` in wire order. Names and values are checked again before anything is sent. */
export const headerPairsSchema = z
  .array(z.tuple([z.string().min(1).max(256), z.string().max(16 * 1024)]))
  .max(500)
  .transform((pairs) => pairs.map(([n, v]): [string, string] => [n, v]));

export const methodSchema = z.string().min(1).max(32);
export const urlSchema = z.string().min(1).max(8192);
