// Keeps the door thread running. The server is of no use without its public listener, so a door
// thread that exits after it started listening is started again (its port is free by then); one
// that cannot start again is reported once, and the server gives up (server.ts exits). Stopping
// asks the thread to drain and waits for it to say so, or for it to exit, within a bound.
import type { Worker } from "node:worker_threads";
import { log } from "../runtime/log";
import type { FromDoor, ToDoor } from "../live/door-bridge";

/** Longest the door thread drains on SIGTERM (captures committed and answered, app answers finished). */
export const DRAIN_MS = 5000;

export type Listening = Extract<FromDoor, { listening: unknown }>["listening"];

export interface DoorSupervisorOptions {
  /** Makes a new door thread. */
  create(): Worker;
  /** Called with each new thread before it can answer anything (the live feed re-attaches here). */
  onStart(worker: Worker): void;
  /** Every message that is not about the thread's life (live events, acknowledgements). */
  onMessage(msg: FromDoor): void;
  /** A thread that exited could not be started again: the server cannot serve. */
  onRestartFailed(err: Error): void;
  restartDelayMs?: number;
}

export class DoorSupervisor {
  private worker: Worker | null = null;
  private stopping = false;
  private onStopped: (() => void) | null = null;
  /** Threads started, the first included (a restart adds one). */
  starts = 0;

  constructor(private readonly opts: DoorSupervisorOptions) {}

  /** Starts a door thread; resolves once it listens, rejects if it fails or exits before that. */
  start(): Promise<Listening> {
    return new Promise<Listening>((resolve, reject) => {
      const worker = this.opts.create();
      this.worker = worker;
      this.starts++;
      this.opts.onStart(worker);
      let listening = false;
      worker.on("message", (msg: FromDoor) => {
        if ("listening" in msg) {
          listening = true;
          resolve(msg.listening);
        } else if ("stopped" in msg) this.onStopped?.();
        else this.opts.onMessage(msg);
      });
      worker.on("error", (err) => {
        log().error({ err: err.message }, "door thread failed");
        if (!listening) reject(err);
      });
      worker.on("exit", (code) => {
        if (this.worker === worker) this.worker = null;
        if (this.stopping) return this.onStopped?.();
        if (!listening) return reject(new Error(`the door thread exited (code ${code}) before it listened`));
        log().error({ code }, "door thread exited; restarting it");
        setTimeout(() => {
          if (this.stopping) return;
          this.start().catch((err: Error) => this.opts.onRestartFailed(err));
        }, this.opts.restartDelayMs ?? 200);
      });
    });
  }

  /** A message for the running door thread (none while it is being started again). */
  post(msg: ToDoor): void {
    this.worker?.postMessage(msg);
  }

  /** Asks the door thread to stop (it drains its captures first); resolves when it has, or after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.onStopped = resolve;
        worker.postMessage({ stop: true } satisfies ToDoor);
      }),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }
}
