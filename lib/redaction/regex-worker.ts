// A redaction worker (regex-pool.ts): masks one body at a time, off the threads that serve
// requests, at the lowest scheduling priority (lib/runtime/worker-boot.mjs, lowPriority). Its own budget stops a costly rule list between searches; the pool's deadline
// terminates this thread when one search runs too long.
import { parentPort } from "node:worker_threads";
import { REDACTION_BUDGET, RedactionBudget } from "./budget";
import { redactBody, type BodyMaskEntry } from "./mask";
import type { RedactionRule } from "./rules";

export interface RegexJob {
  job: number;
  body: Uint8Array;
  contentType: string | null;
  rules: RedactionRule[];
  ms: number;
}

export type RegexReply =
  | { job: number; bytes: Uint8Array | null; masked: BodyMaskEntry[]; changed: boolean; budgetExceeded: boolean }
  | { job: number; error: string };

const port = parentPort;
if (!port) throw new Error("regex-worker must run in a worker thread");

port.on("message", (msg: RegexJob) => {
  try {
    const r = redactBody(msg.body, msg.contentType, msg.rules, new RedactionBudget({ ms: msg.ms, scanBytes: REDACTION_BUDGET.scanBytes }));
    // Unchanged: the caller keeps its own bytes (nothing to copy back).
    const bytes = r.changed ? r.bytes : null;
    const reply: RegexReply = { job: msg.job, bytes, masked: r.masked, changed: r.changed, budgetExceeded: r.budgetExceeded };
    port.postMessage(
      reply,
      bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : [],
    );
  } catch (err) {
    port.postMessage({ job: msg.job, error: (err as Error).message } satisfies RegexReply);
  }
});
port.postMessage({ ready: true });
