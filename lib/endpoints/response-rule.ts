import { validateHeaderValue } from "node:http";
import { z } from "zod";
import { config } from "../config";
import { decideResponseHeader, refusalMessage, servingOrigins, type ServingOrigin } from "./response-header-policy";

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
    .superRefine((headers, ctx) => {
      // Saved if some listener of this server may send it (response-header-policy.ts); each
      // listener still filters at serve time (servedRuleHeaders).
      const origins = servingOrigins(config());
      const at = origins.own ?? origins.shared;
      headers.forEach(([name, value], i) => {
        const verdict = decideResponseHeader(name, value, at);
        if (!verdict.send) ctx.addIssue({ code: "custom", path: [i, 0], message: refusalMessage(verdict, at) });
      });
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

/**
 * The rule's headers that may be sent at `at`: a rule stored before a header was refused keeps
 * working, without that header (never sent).
 */
export function servedRuleHeaders(rule: ResponseRule, at: ServingOrigin): [string, string][] {
  return rule.headers.filter(([name, value]) => decideResponseHeader(name, value, at).send);
}
