// Automatic forwarding. server.ts starts one Forwarder per process:
//
// - Off the capture door's hot path: it subscribes to the live feed (lib/live/bus.ts) for
//   endpoints with an enabled rule; a feed listener only appends to an array. The array is written as
//   ForwardJob rows in batches (one createMany every FLUSH_MS), so a capture's acknowledgement
//   never waits on forwarding, and a slow or hanging target costs the door nothing.
// - Durable: each job is a row (pending → delivered | failed) with its next due time; a worker
//   loop polls due jobs with bounded concurrency, claims them with a lease (one conditional
//   update per poll that pushes nextAt past the send's timeout), sends each through the guarded
//   egress client (on PostgreSQL the claim is one `FOR UPDATE SKIP LOCKED` update, so instances
//   polling at once never take the same job; the lease is FORWARD_LEASE_MS), and records every try as an Attempt (kind "forward", attemptNo) together with
//   the job's new state, finished tries grouped into one transaction (the database work is in
//   forward-jobs.ts, one try in forward-delivery.ts). Retries follow
//   FORWARD_BACKOFF (lib/replay/backoff.ts nextRetry: exponential with jitter, Retry-After
//   honoured), stored as nextAt, so a restart loses nothing: a job in flight when the process
//   stopped becomes due again when its lease ends (on another instance too).
// - At-least-once: a job is delivered by one instance at a time, but a delivery whose result was not
//   written before its instance crashed (or lost the database) is sent again after the lease: the
//   target may see it twice, never zero times. A capture has one job (ForwardJob.captureId is unique),
//   whichever instances queue it.
// - Few writes from the main thread: SQLite statements there are synchronous (better-sqlite3), so
//   every job write is batched (creation, claims, results) to keep the event loop, and with it
//   the capture door, free.
// - At start, and every FORWARD_CATCHUP_MS after (on one instance of a cluster: the `turn` option,
//   a Redis lock), it also enqueues recent captures (since the rule last changed, at most an hour
//   and RECONCILE_MAX captures back) that have no job yet: those committed in the moment before an
//   instance crashed, before their batch was written, are forwarded without waiting for a restart.
// - Byte-exact: the stored header pairs and body go out as captured (hop-by-hop headers dropped,
//   Host and Content-Length set for the target), credentials included: the rule is the endpoint
//   owner's own. A rule turned off or deleted cancels its pending jobs.
import "../runtime/server-only";
import type { CaptureSummary } from "../model/capture";
import { localLiveFeed } from "../live/bus";
import { log } from "../runtime/log";
import { FORWARD_BACKOFF, type BackoffPolicy } from "./backoff";
import { targetForCapture } from "./build-request";
import { deliverOnce } from "./forward-delivery";
import { metrics } from "../ops/metrics";
import { hooks } from "./forward-hooks";
import { capturesWithoutJob, claimDueJobs, enabledRules, FLUSH_MAX, insertJobs, pendingJobCount } from "./forward-jobs";
import { pruneFinishedJobs, QUEUE_LIMIT } from "./forward-jobs";
import { type Finished, type Queued, releaseJobs, type RuleSnap, writeResults } from "./forward-jobs";

export interface ForwarderOptions {
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** How often due jobs (retries) are looked for. */
  pollMs?: number;
  /** Queued captures are written as jobs this often (or at once beyond FLUSH_MAX). */
  flushMs?: number;
  /** Rules are re-read this often (other instances may change them). */
  rulesRefreshMs?: number;
  backoff?: BackoffPolicy;
  /** The catch-up (captures with no job) runs this often after the start-up one. */
  catchUpMs?: number;
  /** Runs the periodic catch-up (cluster mode: under a lock, so one instance does it per period). */
  turn?: (periodMs: number, work: () => Promise<void>) => Promise<unknown>;
}

export class Forwarder {
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly flushMs: number;
  private readonly rulesRefreshMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly catchUpMs: number;
  private readonly turn: (periodMs: number, work: () => Promise<void>) => Promise<unknown>;
  private catchingUp = false;
  private rules = new Map<string, RuleSnap>();
  private readonly subscriptions = new Map<string, () => void>();
  private queue: Queued[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly inflight = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private finished: Finished[] = [];
  /** Jobs whose try ended with a result during shutdown (their state is written, not released). */
  private readonly finishedIds = new Set<string>();
  private resultsTimer: NodeJS.Timeout | null = null;
  private writingResults: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private polling = false;
  private pollAgain = false;
  private stopped = false;
  private lastPrune = 0;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;

  constructor(options: ForwarderOptions = {}) {
    this.concurrency = options.concurrency ?? 16;
    this.pollMs = options.pollMs ?? 1000;
    this.flushMs = options.flushMs ?? 50;
    this.rulesRefreshMs = options.rulesRefreshMs ?? 30_000;
    this.backoff = options.backoff ?? FORWARD_BACKOFF;
    this.catchUpMs = options.catchUpMs ?? 60_000;
    this.turn = options.turn ?? ((_periodMs, work) => work());
  }

  /** Subscribes for the enabled rules, catches up, and starts polling (a failed step is retried by the timers). */
  async start(): Promise<void> {
    const refresh = () =>
      this.refreshRules().catch((err) => log().warn({ err: (err as Error).message }, "forwarding: rule refresh failed"));
    hooks().rulesChanged = () => void refresh();
    const poll = setInterval(() => this.kick(), this.pollMs);
    const rules = setInterval(() => void refresh(), this.rulesRefreshMs);
    const catchUp = setInterval(() => void this.catchUp(), this.catchUpMs);
    poll.unref();
    rules.unref();
    catchUp.unref();
    this.timers.push(poll, rules, catchUp);
    await refresh();
    await this.reconcile().catch((err) => log().warn({ err: (err as Error).message }, "forwarding: start-up catch-up failed"));
    this.kick();
  }

  /** Stops taking work; deliveries in flight are cancelled and their jobs left due at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    hooks().rulesChanged = null;
    for (const t of this.timers) clearInterval(t);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    await this.flushing;
    await this.flush().catch(() => {});
    const ids = [...this.inflight.keys()];
    const running = [...this.inflight.values()];
    for (const d of running) d.abort.abort();
    // Cancelled sends settle at once (without a result); ones that had finished add theirs.
    await Promise.allSettled(running.map((d) => d.done));
    if (this.resultsTimer) clearTimeout(this.resultsTimer);
    await this.writingResults;
    for (let i = 0; this.finished.length && i < 100; i++) await this.writeResults().catch(() => {});
    // Jobs cut short keep their lease otherwise: make them due again for the next start.
    const cut = ids.filter((id) => !this.finishedIds.has(id));
    if (cut.length) await releaseJobs(cut).catch(() => {});
  }

  /** Jobs waiting to be written (tests and /healthz-style checks). */
  get queued(): number {
    return this.queue.length;
  }

  /** Jobs pending in the database, every instance's (the metrics' queue depth). */
  pending(): Promise<number> {
    return pendingJobCount().catch((err: unknown) => {
      metrics().databaseErrors.inc({ kind: "forwarding" });
      throw err;
    });
  }

  /**
   * Re-reads the rules and (un)subscribes. One read at a time, again if asked meanwhile: two reads
   * overlapping (a change heard from another instance during the periodic refresh) could otherwise
   * finish out of order and leave the older rules in force until the next refresh.
   */
  refreshRules(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          await this.refreshOnce();
        } while (this.refreshAgain && !this.stopped);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const next = await enabledRules();
    if (this.stopped) return;
    for (const [endpointId, unsubscribe] of this.subscriptions) {
      if (!next.has(endpointId)) {
        unsubscribe();
        this.subscriptions.delete(endpointId);
      }
    }
    for (const endpointId of next.keys()) {
      if (!this.subscriptions.has(endpointId))
        this.subscriptions.set(
          endpointId,
          localLiveFeed().subscribe(endpointId, (c) => this.onCapture(c)),
        );
    }
    this.rules = next;
  }

  /** The feed listener: runs inside the capture door's request, so it only queues. */
  private onCapture(capture: CaptureSummary): void {
    if (this.stopped || capture.rejected) return;
    const rule = this.rules.get(capture.endpointId);
    if (!rule) return;
    let url: string;
    try {
      url = targetForCapture(rule.url, capture);
    } catch {
      return;
    }
    if (this.queue.length >= QUEUE_LIMIT) {
      log().error({ endpointId: capture.endpointId }, "forwarding: queue full, capture not forwarded");
      return;
    }
    this.queue.push({ captureId: capture.id, endpointId: capture.endpointId, url });
    if (this.queue.length >= FLUSH_MAX) this.scheduleFlush(0);
    else this.scheduleFlush(this.flushMs);
  }

  private scheduleFlush(ms: number) {
    if (this.flushTimer && ms > 0) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flushLoop();
    }, ms);
  }

  private async flushLoop(): Promise<void> {
    // Nothing queued (a timer set while a running loop took its captures): return at once. The loop
    // below must await before its `finally`: run to the end synchronously, it would clear `flushing`
    // before being assigned to it, which then stayed set for ever and no job was written again.
    if (this.flushing || !this.queue.length) return;
    this.flushing = (async () => {
      try {
        while (this.queue.length) await this.flush();
      } catch (err) {
        metrics().databaseErrors.inc({ kind: "forwarding" });
        log().warn({ err: (err as Error).message, queued: this.queue.length }, "forwarding: could not store jobs; retrying");
        if (!this.stopped) this.scheduleFlush(500);
      } finally {
        this.flushing = null;
      }
    })();
    await this.flushing;
    this.kick();
  }

  private async flush(): Promise<void> {
    const batch = this.queue.slice(0, FLUSH_MAX);
    if (!batch.length) return;
    await insertJobs(batch);
    this.queue.splice(0, batch.length);
  }

  /** The periodic catch-up: one at a time here, under `turn` (one instance of a cluster per period). */
  private async catchUp(): Promise<void> {
    if (this.stopped || this.catchingUp) return;
    this.catchingUp = true;
    try {
      await this.turn(this.catchUpMs, async () => {
        await this.refreshRules();
        if (!this.stopped) await this.reconcile();
      });
    } catch (err) {
      log().warn({ err: (err as Error).message }, "forwarding: catch-up failed");
    } finally {
      this.catchingUp = false;
    }
  }

  /** Captures of enabled rules from the last hour (since the rule's last change) with no job. */
  private async reconcile(): Promise<void> {
    for (const { endpointId, captures } of await capturesWithoutJob()) {
      const snap = this.rules.get(endpointId);
      if (!snap) continue;
      for (const c of captures) this.queue.push({ captureId: c.id, endpointId: c.endpointId, url: targetForCapture(snap.url, c) });
      if (captures.length) log().info({ endpointId, added: captures.length }, "forwarding: enqueued captures that had no job");
    }
    if (this.queue.length) await this.flushLoop();
  }

  /** Looks for due jobs now (coalesced). */
  kick(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    void this.poll()
      .catch((err) => {
        metrics().databaseErrors.inc({ kind: "forwarding" });
        log().warn({ err: (err as Error).message }, "forwarding: poll failed");
      })
      .finally(() => {
        this.polling = false;
        if (this.pollAgain && !this.stopped) {
          this.pollAgain = false;
          this.kick();
        }
      });
  }

  private async poll(): Promise<void> {
    const free = this.concurrency - this.inflight.size;
    if (free <= 0) return;
    const won = await claimDueJobs(free, [...this.inflight.keys()], () => this.stopped);
    for (const job of won) {
      const abort = new AbortController();
      // The rules map is kept current by the API's change hook (and re-read every rulesRefreshMs).
      const rule = this.rules.get(job.endpointId);
      const done = deliverOnce(job, rule, { signal: abort.signal, backoff: this.backoff, stopping: () => this.stopped })
        .then((result) => {
          if (!result) return;
          if (result.attempt) metrics().forwardAttempts.inc({ result: result.update.state === "pending" ? "retry" : result.update.state });
          if (this.stopped) this.finishedIds.add(job.id);
          this.finishLater(result);
        })
        .catch((err) => log().warn({ err: (err as Error).message, jobId: job.id }, "forwarding: delivery failed"))
        .finally(() => {
          this.inflight.delete(job.id);
          this.kick();
        });
      this.inflight.set(job.id, { abort, done });
    }
    if (Date.now() - this.lastPrune > 3_600_000) {
      this.lastPrune = Date.now();
      await pruneFinishedJobs().catch(() => {});
    }
  }

  private finishLater(result: Finished): void {
    this.finished.push(result);
    if (!this.resultsTimer) {
      this.resultsTimer = setTimeout(() => {
        this.resultsTimer = null;
        void this.writeResultsLoop();
      }, this.flushMs);
    }
  }

  private async writeResultsLoop(): Promise<void> {
    // As flushLoop: an empty list returns here, not through a loop that would finish synchronously.
    if (this.writingResults || !this.finished.length) return;
    this.writingResults = (async () => {
      try {
        while (this.finished.length) await this.writeResults();
      } catch (err) {
        metrics().databaseErrors.inc({ kind: "forwarding" });
        log().warn({ err: (err as Error).message, waiting: this.finished.length }, "forwarding: could not store results; retrying");
        if (!this.stopped && !this.resultsTimer)
          this.resultsTimer = setTimeout(() => {
            this.resultsTimer = null;
            void this.writeResultsLoop();
          }, 500);
      } finally {
        this.writingResults = null;
      }
    })();
    await this.writingResults;
  }

  /** Finished tries and their jobs' new states, as one transaction (one commit). */
  private async writeResults(): Promise<void> {
    const batch = this.finished.slice(0, 100);
    if (!batch.length) return;
    await writeResults(batch);
    this.finished.splice(0, batch.length);
  }
}
