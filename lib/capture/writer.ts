// Group commit for the capture door. Captures that arrive while a commit is running wait and are
// written together by the next one, so throughput grows with load while an idle server commits
// each capture at once. Every sender is answered only after the commit holding its row; a capture
// that cannot be committed by its deadline is refused (503), never acknowledged.
import type { NewCapture } from "./types";

export class StorageUnavailableError extends Error {
  constructor(
    readonly reason: "overloaded" | "deadline" | "failed",
    options?: { cause?: unknown },
  ) {
    super(`capture storage ${reason}`, options);
  }
}

interface Pending {
  row: NewCapture;
  settled: boolean;
  /** Handed to storage: its outcome is unknown until the insert returns. */
  writing: boolean;
  /** The deadline passed while it was being written: answer as soon as the outcome is known. */
  expired: boolean;
  timer: NodeJS.Timeout;
  resolve(seq: number): void;
  reject(err: StorageUnavailableError): void;
}

export interface WriterOptions {
  insert(rows: readonly NewCapture[]): Promise<Map<string, number>>;
  maxBatch: number;
  maxBatchBytes: number;
  maxInflight: number;
  /** Groups handed to storage at once (1 = strictly one commit at a time). */
  pipeline: number;
  /** A lock held elsewhere ("busy"): retry the group after a pause until its deadlines pass. */
  isBusy(err: unknown): boolean;
  onError?(err: unknown): void;
}

const BUSY_RETRY_MS = 25;

export class CaptureWriter {
  private queue: Pending[] = [];
  private running = 0;
  private inflight = 0;

  constructor(private readonly opts: WriterOptions) {}

  get pending(): number {
    return this.inflight;
  }

  /** Resolves with the committed sequence; rejects with StorageUnavailableError. */
  submit(row: NewCapture, deadlineAt: number): Promise<number> {
    if (this.inflight >= this.opts.maxInflight) {
      return Promise.reject(new StorageUnavailableError("overloaded"));
    }
    this.inflight++;
    return new Promise<number>((resolve, reject) => {
      const item: Pending = {
        row,
        settled: false,
        writing: false,
        expired: false,
        timer: setTimeout(() => this.expire(item), Math.max(0, deadlineAt - Date.now())),
        resolve,
        reject,
      };
      this.queue.push(item);
      this.kick();
    });
  }

  /**
   * A capture still waiting in the queue is refused at its deadline and never written. One already
   * inside an insert cannot be recalled, so it is answered by that insert's outcome (bounded by
   * the database's statement timeout): a 503 must never go to a capture that then commits.
   */
  private expire(item: Pending) {
    if (item.writing) item.expired = true;
    else this.settle(item, new StorageUnavailableError("deadline"));
  }

  private settle(item: Pending, outcome: number | StorageUnavailableError) {
    if (item.settled) return;
    item.settled = true;
    clearTimeout(item.timer);
    this.inflight--;
    if (typeof outcome === "number") item.resolve(outcome);
    else item.reject(outcome);
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
      next.writing = true;
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
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const batch = this.takeBatch();
        if (batch.length === 0) return;
        try {
          const seqs = await this.opts.insert(batch.map((p) => p.row));
          for (const item of batch) {
            const seq = seqs.get(item.row.id);
            this.settle(item, seq ?? new StorageUnavailableError("failed"));
          }
        } catch (err) {
          this.opts.onError?.(err);
          if (this.opts.isBusy(err)) {
            // Nothing was written: the ones past their deadline are refused now, the rest retry.
            for (const item of batch) {
              item.writing = false;
              if (item.expired) this.settle(item, new StorageUnavailableError("deadline"));
            }
            this.queue.unshift(...batch.filter((p) => !p.settled));
            await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
          } else {
            for (const item of batch) this.settle(item, new StorageUnavailableError("failed", { cause: err }));
          }
        }
      }
    } finally {
      this.running--;
      this.queue = this.queue.filter((p) => !p.settled);
      this.kick();
    }
  }
}
