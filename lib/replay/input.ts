// The shared zod pieces of the replay routes' bodies (read by lib/http/read-json.ts with a cap
// sized for a whole capture body as base64).
import { z } from "zod";

/** `[[name, value]…]` in wire order. Names and values are checked again before anything is sent. */
export const headerPairsSchema = z
  .array(z.tuple([z.string().min(1).max(256), z.string().max(16 * 1024)]))
  .max(500)
  .transform((pairs) => pairs.map(([n, v]): [string, string] => [n, v]));

export const methodSchema = z.string().min(1).max(32);
export const urlSchema = z.string().min(1).max(8192);
