import { validateHeaderValue } from "node:http";
import { z } from "zod";

// Headers a rule may not set: framing is Node's job, and a capture URL shares the dashboard's
// origin by default, so it must never set cookies there.
const FORBIDDEN = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "set-cookie", "trailer"]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const headerPairSchema = z.tuple([
  z.string().regex(TOKEN, "header names are HTTP tokens").max(256),
  z
    .string()
    .max(8192)
    .refine((v) => {
      try {
        validateHeaderValue("x", v); // Node's own rule: no control characters, nothing above U+00FF
        return true;
      } catch {
        return false;
      }
    }, "header values cannot contain control characters (CR, LF, NUL…) or characters above U+00FF"),
]);

export const MAX_RULE_BODY_BYTES = 256 * 1024;

export const responseRuleSchema = z.object({
  status: z.number().int().min(200).max(599),
  headers: z
    .array(headerPairSchema)
    .max(50)
    .refine((h) => h.every(([n]) => !FORBIDDEN.has(n.toLowerCase())), {
      message: `a response rule cannot set ${[...FORBIDDEN].join(", ")}`,
    }),
  /** null: the default JSON body naming the capture id. */
  body: z
    .string()
    .nullable()
    .refine((b) => b === null || Buffer.byteLength(b) <= MAX_RULE_BODY_BYTES, "body is larger than 256 KiB"),
  delayMs: z.number().int().min(0).max(30_000),
});

export type ResponseRule = z.infer<typeof responseRuleSchema>;

export const DEFAULT_RULE: ResponseRule = { status: 200, headers: [], body: null, delayMs: 0 };

/** The rule as stored in an Endpoint row's response* columns. */
export function ruleOf(row: {
  responseStatus: number;
  responseHeaders: string;
  responseBody: string | null;
  responseDelayMs: number;
}): ResponseRule {
  return {
    status: row.responseStatus,
    headers: JSON.parse(row.responseHeaders) as ResponseRule["headers"],
    body: row.responseBody,
    delayMs: row.responseDelayMs,
  };
}
