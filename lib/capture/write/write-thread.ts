// The main thread's handle on the write worker: insert(rows) posts a group and resolves with the
// committed sequences. A worker that dies fails its groups (their senders get 503) and is
// replaced.
import type { Worker } from "node:worker_threads";
import { log } from "../../runtime/log";
import { metrics } from "../../ops/metrics";
import type { NewCapture } from "../../model/capture";
import type { WriteReply, WriteRequest } from "./write-worker";
import { captureRowValues } from "./rows";

export class WriteFailedError extends Error {
  constructor(
    message: string,
    readonly busy: boolean,
  ) {
    super(message);
  }
}

type Waiter = { resolve(seqs: number[]): void; reject(err: Error): void };

export class WriteThread {
  private worker!: Worker;
  private waiting = new Map<number, Waiter>();
  private next = 1;
  private closed = false;
  private readyPromise!: Promise<void>;

  /** `spawn` starts the worker thread (again, should it exit). */
  constructor(private readonly spawn: () => Worker) {
    this.start();
  }

  private start() {
    const worker = this.spawn();
    this.worker = worker;
    this.readyPromise = new Promise((resolve, reject) => {
      const onReady = (msg: { ready?: boolean }) => {
        if (msg.ready) {
          worker.off("message", onReady);
          resolve();
        }
      };
      worker.on("message", onReady);
      worker.once("error", reject);
    });
    worker.on("message", (msg: WriteReply | { ready: true }) => {
      if (!("batch" in msg)) return;
      const waiter = this.waiting.get(msg.batch);
      if (!waiter) return;
      this.waiting.delete(msg.batch);
      if ("commit" in msg && msg.commit) {
        metrics().writeGroupRows.observe(msg.commit.rows);
        metrics().commitSeconds.observe(msg.commit.ms / 1000);
      }
      if ("seqs" in msg) waiter.resolve(msg.seqs);
      else waiter.reject(new WriteFailedError(msg.error, msg.busy));
    });
    worker.on("error", (err) => log().error({ err: err.message }, "capture write worker failed"));
    worker.on("exit", (code) => {
      for (const w of this.waiting.values()) w.reject(new WriteFailedError(`write worker exited (${code})`, false));
      this.waiting.clear();
      if (!this.closed) this.start();
    });
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Resolves with each row's sequence, in order; 0 for a row that was not stored. */
  insert = (rows: readonly NewCapture[]): Promise<number[]> => {
    const batch = this.next++;
    return new Promise<number[]>((resolve, reject) => {
      this.waiting.set(batch, { resolve, reject });
      this.worker.postMessage({ batch, rows: rows.map(captureRowValues) } satisfies WriteRequest);
    });
  };

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}
