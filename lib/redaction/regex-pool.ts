// Regex masking of bodies off the threads that serve other tenants. A body whose estimated regex
// work (characters × program instructions, budget.ts) is small is masked inline; a larger one goes
// to a small pool of worker threads (REDACTION_WORKERS per serving thread), each job with a hard
// deadline (REDACTION_DEADLINE_MS): past it the worker is terminated and replaced, and the body is
// withheld (BUDGET_WITHHELD: fails closed, never the unmasked bytes). Rules without regexes never
// leave the calling thread.
//
// The workers start like every other thread (lib/runtime/worker-files.ts: the built file, or the
// source through tsx), at the lowest scheduling priority. The Next.js bundle's copy of this module
// finds the server's layout through runtime/shared.ts.
import { createHash } from "node:crypto";
import type { Worker } from "node:worker_threads";
import { config } from "../config";
import { log } from "../runtime/log";
import { shared } from "../runtime/shared";
import { startWorker } from "../runtime/worker-files";
import { REDACTION_BUDGET, regexWork } from "./budget";
import { compileRules } from "./compile";
import { BUDGET_WITHHELD, redactBody, type RedactedBody } from "./mask";
import type { RedactionRule } from "./rules";
import { REDACTION_LIMITS } from "./rules";
import type { RegexJob, RegexReply } from "./regex-worker";
import {
  needsPartsWorker,
  partsWithheld,
  redactParts,
  type MaskedHeaders,
  type MaskedParts,
  type MaskedQuery,
  type PartsInput,
} from "./parts";
import type { HeaderPairs } from "../model/capture";

const startRedactionWorker = (): Worker => startWorker("redaction", { lowPriority: true });

/** The rules' regex work on this body would not be small: it belongs in a worker. */
export function needsRegexWorker(bytes: Uint8Array, rules: readonly RedactionRule[]): boolean {
  if (bytes.length === 0) return false;
  const c = compileRules(rules);
  if (c.regexes.length === 0 || c.failClosed !== null) return false;
  return regexWork(Math.min(bytes.length, REDACTION_LIMITS.regexTextBytes), c.regexes) > REDACTION_BUDGET.inlineWork;
}

/** `settle(null)`: the job failed or passed its deadline (the caller fails closed). */
type Pending = { job: RegexJob; settle(reply: RegexReply | null): void };
const withheldBody = (): RedactedBody => ({ ...BUDGET_WITHHELD, bytes: new Uint8Array(0) });

class RegexWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  busy: Pending | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: RegexPool,
    spawn: () => Worker,
  ) {
    this.worker = spawn();
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      const onReady = (msg: { ready?: boolean }) => {
        if (msg.ready) {
          this.worker.off("message", onReady);
          resolve();
        }
      };
      this.worker.on("message", onReady);
      this.worker.once("error", reject);
    });
    this.ready.catch(() => {});
    this.worker.on("message", (msg: RegexReply | { ready: true }) => {
      if (!("job" in msg) || !this.busy || this.busy.job.job !== msg.job) return;
      const p = this.busy;
      this.finish();
      if ("error" in msg) log().warn({ err: msg.error }, "redaction worker failed a job");
      p.settle("error" in msg ? null : msg);
      this.pool.idle(this);
    });
    this.worker.on("error", (err) => log().error({ err: err.message }, "redaction worker failed"));
    this.worker.on("exit", () => {
      const p = this.busy;
      this.finish();
      p?.settle(null);
      this.pool.exited(this);
    });
  }

  private finish() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.busy = null;
  }

  run(p: Pending, deadlineMs: number) {
    this.busy = p;
    this.ready.then(
      () => {
        if (this.busy !== p) return;
        this.timer = setTimeout(() => {
          // One search may not stop by itself: the thread goes, the body is withheld.
          log().warn({ deadlineMs }, "redaction worker passed its deadline: terminated, its work withheld");
          this.pool.timedOut++;
          void this.worker.terminate();
        }, deadlineMs);
        const body = p.job.body;
        if (!body) {
          this.worker.postMessage(p.job);
          return;
        }
        const copy = body.bytes.slice();
        this.worker.postMessage({ ...p.job, body: { ...body, bytes: copy } }, [copy.buffer]);
      },
      () => {
        this.finish();
        p.settle(null);
        this.pool.exited(this);
      },
    );
  }
}

/** A body waits at most this many deadlines in all (queue, worker boot and the work), plus BOOT_ALLOWANCE_MS. */
const WAIT_FACTOR = 3;
const BOOT_ALLOWANCE_MS = 5000;

export class RegexPool {
  private workers: RegexWorker[] = [];
  private queue: Pending[] = [];
  private next = 1;
  private closed = false;
  timedOut = 0;

  constructor(
    private readonly size: number,
    private readonly deadlineMs: number,
    private readonly spawn: () => Worker = startRedactionWorker,
  ) {}

  async redact(body: Uint8Array, contentType: string | null, rules: readonly RedactionRule[]): Promise<RedactedBody> {
    const r = await this.submit({ body: { bytes: body, contentType }, rules: [...rules] });
    if (!r || "error" in r || !r.body) return withheldBody();
    return { ...r.body, bytes: r.body.bytes ?? body };
  }

  /** Header lists and queries (parts.ts); failing closed, all of them masked whole. */
  async redactParts(input: PartsInput, rules: readonly RedactionRule[]): Promise<MaskedParts> {
    const r = await this.submit({ parts: input, rules: [...rules] });
    return r && !("error" in r) && r.parts ? r.parts : partsWithheld(input);
  }

  private submit(work: Omit<RegexJob, "job" | "ms">): Promise<RegexReply | null> {
    return new Promise((resolve) => {
      const job: RegexJob = { ...work, job: this.next++, ms: this.deadlineMs };
      let settled = false;
      // The deadline counts from the start of the work; waiting for a worker (queued, or one still
      // booting on a busy machine: they run at the lowest priority) is capped too: WAIT_FACTOR
      // deadlines and BOOT_ALLOWANCE_MS for starting tsx in a new thread.
      const cap = setTimeout(
        () => {
          if (settled) return;
          this.queue = this.queue.filter((p) => p !== pending);
          const running = this.workers.find((w) => w.busy === pending);
          if (running) void running.worker.terminate();
          this.timedOut++;
          done(null);
        },
        this.deadlineMs * WAIT_FACTOR + BOOT_ALLOWANCE_MS,
      );
      const done = (r: RegexReply | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(cap);
        resolve(r);
      };
      const pending: Pending = { job, settle: done };
      this.queue.push(pending);
      this.pump();
    });
  }

  idle(_w: RegexWorker) {
    this.pump();
  }

  exited(w: RegexWorker) {
    this.workers = this.workers.filter((x) => x !== w);
    // A replacement boots at once (tsx takes a while), so the next body does not wait for it.
    if (this.workers.length < this.size && !this.closed) this.workers.push(new RegexWorker(this, this.spawn));
    this.pump();
  }

  private pump() {
    while (this.queue.length > 0) {
      let w = this.workers.find((x) => x.busy === null);
      if (!w && this.workers.length < this.size) {
        w = new RegexWorker(this, this.spawn);
        this.workers.push(w);
      }
      if (!w) return;
      w.run(this.queue.shift() as Pending, this.deadlineMs);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.worker.terminate()));
  }
}

export function regexPool(): RegexPool {
  return shared("redaction-regex-pool", () => new RegexPool(config().REDACTION_WORKERS, config().REDACTION_DEADLINE_MS));
}

/**
 * redactBody for the roads that carry large bodies (views, downloads, share links, lists, redact at
 * ingest): inline when the regex work is small, else in a worker with a deadline. Fails closed.
 */
export async function redactBodyOffThread(
  bytes: Uint8Array,
  contentType: string | null | undefined,
  rules: readonly RedactionRule[],
): Promise<RedactedBody> {
  if (!needsRegexWorker(bytes, rules)) return redactBody(bytes, contentType, rules);
  // A body these rules already could not mask in time fails closed at once: opening it again (the
  // detail, its download, the list, a refresh) does not take a worker for another deadline.
  const key = createHash("sha256")
    .update(JSON.stringify(rules))
    .update("\0")
    .update(contentType ?? "")
    .update("\0")
    .update(bytes)
    .digest("base64");
  const known = overBudget();
  if (known.has(key)) return withheldBody();
  const r = await regexPool().redact(bytes, contentType ?? null, rules);
  if (r.budgetExceeded) {
    if (known.size >= OVER_BUDGET_MEMO) known.delete(known.keys().next().value as string);
    known.add(key);
  }
  return r;
}

const OVER_BUDGET_MEMO = 1000;
const overBudget = () => shared("redaction-over-budget", () => new Set<string>());

/**
 * Header lists and query strings masked for a view: on the calling thread when their regex work
 * (all values and queries together) is small, the common case; else in a redaction worker, under
 * the same deadline as bodies, failing closed (every value masked whole, never shown as sent).
 */
export async function redactPartsOffThread(input: PartsInput, rules: readonly RedactionRule[]): Promise<MaskedParts> {
  if (!needsPartsWorker(input, rules)) return redactParts(input, rules);
  return regexPool().redactParts(input, rules);
}

/** One header list (redactPartsOffThread). */
export async function redactHeadersOffThread(
  pairs: HeaderPairs,
  rules: readonly RedactionRule[],
  headerMask?: string,
): Promise<MaskedHeaders> {
  const r = await redactPartsOffThread({ headers: [pairs], queries: [], ...(headerMask === undefined ? {} : { headerMask }) }, rules);
  return r.headers[0]!;
}

/** One query string (redactPartsOffThread). */
export async function redactQueryOffThread(query: string, rules: readonly RedactionRule[]): Promise<MaskedQuery> {
  return (await redactPartsOffThread({ headers: [], queries: [query] }, rules)).queries[0]!;
}
