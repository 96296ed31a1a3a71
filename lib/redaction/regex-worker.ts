// A redaction worker (regex-pool.ts): masks one body, or one set of header lists and queries, at a
// time, off the threads that serve requests, at the lowest scheduling priority
// (lib/runtime/worker-boot.mjs, lowPriority). Its own budget stops a costly rule list between
// searches; the pool's deadline terminates this thread when one search runs too long.
import { parentPort } from "node:worker_threads";
import { REDACTION_BUDGET, RedactionBudget } from "./budget";
import { redactBody, type BodyMaskEntry } from "./mask";
import { redactParts, type MaskedParts, type PartsInput } from "./parts";
import type { RedactionRule } from "./rules";

export interface RegexJob {
  job: number;
  rules: RedactionRule[];
  ms: number;
  /** A body to mask (transferred: the pool posts a copy). */
  body?: { bytes: Uint8Array; contentType: string | null };
  /** Or header lists and queries (redactParts). */
  parts?: PartsInput;
}

export type RegexReply =
  | {
      job: number;
      body?: { bytes: Uint8Array | null; masked: BodyMaskEntry[]; changed: boolean; budgetExceeded: boolean };
      parts?: MaskedParts;
    }
  | { job: number; error: string };

const port = parentPort;
if (!port) throw new Error("regex-worker must run in a worker thread");

port.on("message", (msg: RegexJob) => {
  try {
    const budget = new RedactionBudget({ ms: msg.ms, scanBytes: REDACTION_BUDGET.scanBytes });
    if (msg.parts) {
      port.postMessage({ job: msg.job, parts: redactParts(msg.parts, msg.rules, budget) } satisfies RegexReply);
      return;
    }
    const input = msg.body ?? { bytes: new Uint8Array(0), contentType: null };
    const r = redactBody(input.bytes, input.contentType, msg.rules, budget);
    // Unchanged: the caller keeps its own bytes (nothing to copy back).
    const bytes = r.changed ? r.bytes : null;
    const reply: RegexReply = { job: msg.job, body: { bytes, masked: r.masked, changed: r.changed, budgetExceeded: r.budgetExceeded } };
    port.postMessage(
      reply,
      bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : [],
    );
  } catch (err) {
    port.postMessage({ job: msg.job, error: (err as Error).message } satisfies RegexReply);
  }
});
port.postMessage({ ready: true });
