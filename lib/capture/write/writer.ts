// Group commit for the capture door. Captures that arrive while a commit is running wait and are
// written together by the next one, so throughput grows with load while an idle server commits
// each capture at once. Every sender is answered only after the commit holding its row; a capture
// that cannot be committed by its deadline is refused (503), never acknowledged.
//
// This runs once per captured request, so it allocates no promise and no timer per capture: the
// door passes a callback, and one timer, armed for the earliest deadline, refuses late captures.
import type { NewCapture } from "../../model/capture";
import { now as clock } from "../../runtime/clock";

export class StorageUnavailableError extends Error {
  constructor(
    readonly reason: "overloaded" | "deadline" | "failed",
    options?: { cause?: unknown },
  ) {
    super(`capture storage ${reason}`, options);
  }
}

/** Called once per capture: with its committed sequence, or with why it was not stored. */
export type WriteDone = (err: StorageUnavailableError | null, seq: number) => void;

interface Pending {
  row: NewCapture;
  deadlineAt: number;
  settled: boolean;
  done: WriteDone;
}

export interface WriterOptions {
  /** Stores the rows in one commit; resolves with each row's sequence, in order (0: not stored). */
  insert(rows: readonly NewCapture[]): Promise<number[]>;
  maxBatch: number;
  maxBatchBytes: number;
  maxInflight: number;
  /** Groups handed to storage at once (1 = strictly one commit at a time). */
  pipeline: number;
  /**
   * Hand a group to storage as soon as this many captures are queued, without waiting for the
   * event loop to finish its current turn: under load the database starts on the first captures
   * while the rest of a burst is still being parsed, instead of everything moving in lock-step.
   */
  eagerRows?: number;
  /** A lock held elsewhere ("busy"): retry the group after a pause until its deadlines pass. */
  isBusy(err: unknown): boolean;
  onError?(err: unknown): void;
}

const BUSY_RETRY_MS = 25;

export class CaptureWriter {
  /** Captures waiting to be handed to storage (those being written are held by their drain). */
  private queue: Pending[] = [];
  /** Captures not yet answered, queued or being written. (A counter: a Set of them, added to and
   * deleted from on every capture, made V8 promote each capture's objects to the old generation.) */
  private inflight = 0;
  private running = 0;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(private readonly opts: WriterOptions) {}

  get pending(): number {
    return this.inflight;
  }

  /** Queues one capture; `done` is called exactly once (synchronously when overloaded). */
  enqueue(row: NewCapture, deadlineAt: number, done: WriteDone): void {
    if (this.inflight >= this.opts.maxInflight) {
      done(new StorageUnavailableError("overloaded"), 0);
      return;
    }
    const item: Pending = { row, deadlineAt, settled: false, done };
    this.inflight++;
    this.queue.push(item);
    if (deadlineAt < this.timerAt) this.armDeadline(deadlineAt);
    if (this.opts.eagerRows && this.queue.length >= this.opts.eagerRows && this.running < this.opts.pipeline) {
      this.running++;
      void this.drain();
    } else this.kick();
  }

  private armDeadline(at: number) {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.timerAt = at;
    this.deadlineTimer = setTimeout(() => this.expireDue(), Math.max(0, at - clock()));
  }

  /**
   * A capture still waiting in the queue is refused at its deadline and never written. One already
   * inside an insert cannot be recalled, so it is answered by that insert's outcome (bounded by
   * the database's statement timeout): a 503 must never go to a capture that then commits.
   */
  private expireDue() {
    this.deadlineTimer = null;
    this.timerAt = Infinity;
    const now = clock();
    let next = Infinity;
    for (const item of this.queue) {
      if (item.settled) continue;
      if (item.deadlineAt <= now) this.settle(item, new StorageUnavailableError("deadline"));
      else if (item.deadlineAt < next) next = item.deadlineAt;
    }
    if (next !== Infinity) this.armDeadline(next);
  }

  private settle(item: Pending, outcome: number | StorageUnavailableError) {
    if (item.settled) return;
    item.settled = true;
    this.inflight--;
    if (this.inflight === 0 && this.deadlineTimer) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = null;
      this.timerAt = Infinity;
    }
    if (typeof outcome === "number") item.done(null, outcome);
    else item.done(outcome, 0);
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (this.queue.length && batch.length < this.opts.maxBatch) {
      const next = this.queue[0]!;
      if (next.settled) {
        this.queue.shift(); // past its deadline: the sender already has its 503
        continue;
      }
      if (batch.length && bytes + next.row.bodySize > this.opts.maxBatchBytes) break;
      bytes += next.row.bodySize;
      batch.push(this.queue.shift()!);
    }
    return batch;
  }

  /**
   * Up to `pipeline` groups are handed to storage at once: while one commits, the next is already
   * queued where it executes (the write worker), so the database never waits for the event loop.
   */
  private kick() {
    if (this.running < this.opts.pipeline && this.queue.length) {
      this.running++;
      setImmediate(this.drainNow);
    }
  }

  private readonly drainNow = () => void this.drain();

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const batch = this.takeBatch();
        if (batch.length === 0) return;
        try {
          const rows = new Array<NewCapture>(batch.length);
          for (let i = 0; i < batch.length; i++) rows[i] = batch[i]!.row;
          const seqs = await this.opts.insert(rows);
          for (let i = 0; i < batch.length; i++) this.settle(batch[i]!, seqs[i] || new StorageUnavailableError("failed"));
        } catch (err) {
          this.opts.onError?.(err);
          if (this.opts.isBusy(err)) {
            // Nothing was written: the ones past their deadline are refused now, the rest retry.
            const now = clock();
            for (const item of batch) if (item.deadlineAt <= now) this.settle(item, new StorageUnavailableError("deadline"));
            const retry = batch.filter((p) => !p.settled);
            this.queue.unshift(...retry);
            for (const item of retry) if (item.deadlineAt < this.timerAt) this.armDeadline(item.deadlineAt);
            await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
          } else {
            for (const item of batch) this.settle(item, new StorageUnavailableError("failed", { cause: err }));
          }
        }
      }
    } finally {
      this.running--;
      if (this.queue.length && this.queue.some((p) => p.settled)) this.queue = this.queue.filter((p) => !p.settled);
      this.kick();
    }
  }
}
