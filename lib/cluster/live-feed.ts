// Live captures across instances. The database is the source of truth: a stream on this instance
// is fed by reading the endpoint's captures after the last one delivered (liveCapturesAfter), and
// Redis only says when to read (an instance that committed captures publishes [endpointId, seq]).
// A missed message leaves no gap: the next message, the slow poll (POLL_MS; POLL_DOWN_MS while
// Redis is down) or the poll at every reconnect reads from the same cursor.
//
// Why reading `seq > cursor` cannot skip a capture: on PostgreSQL a sequence value is taken before
// its transaction commits, so without more, instance A could make seq 11 visible while B's seq 10
// is still uncommitted. In cluster mode each capture insert first takes the row lock of its
// endpoint (lib/capture/write/rows.ts, `FOR NO KEY UPDATE`, held until commit) and only then draws
// its seq: commits of one endpoint are serialised, so its visible seqs are always a prefix, and
// once seq n is visible nothing below n can appear later.
import "../runtime/server-only";
import { InProcessBus, type CaptureListener, type LiveFeed } from "../live/bus";
import type { CaptureSummary } from "../model/capture";
import { log } from "../runtime/log";

/** Rows read per query; a page holds bodies, so it stays small. */
const PAGE = 100;

type Read = (endpointId: string, afterSeq: number, limit: number) => Promise<CaptureSummary[]>;
type Latest = (endpointId: string) => Promise<number>;

interface Watch {
  endpointId: string;
  /** The highest seq handed to this endpoint's subscribers (or the latest one when the watch began). */
  cursor: number;
  init: Promise<void>;
  failed: boolean;
  pulling: boolean;
  again: boolean;
  closed: boolean;
}

export class ClusterFeed implements LiveFeed {
  private readonly local = new InProcessBus((endpointId, on) => (on ? this.watch(endpointId) : this.unwatch(endpointId)));
  private readonly watches = new Map<string, Watch>();
  private lastError = 0;

  constructor(
    private readonly read: Read,
    private readonly latest: Latest,
  ) {}

  subscribe(endpointId: string, listener: CaptureListener): () => void {
    return this.local.subscribe(endpointId, listener);
  }

  subscriberCount(endpointId: string): number {
    return this.local.subscriberCount(endpointId);
  }

  watchedEndpoints(): string[] {
    return this.local.watchedEndpoints();
  }

  /** Resolves once the cursor is set: every capture committed after this is delivered. */
  ready(endpointId: string): Promise<void> {
    return this.watches.get(endpointId)?.init ?? Promise.resolve();
  }

  /** A capture of `endpointId` up to `seq` was committed (here or elsewhere): read what is new. */
  notify(endpointId: string, seq: number): void {
    const w = this.watches.get(endpointId);
    if (w && seq > w.cursor) void this.pull(w);
  }

  /** Reads every watched endpoint (the slow timer, a reconnect). */
  poll(): void {
    for (const w of this.watches.values()) {
      if (w.failed) this.begin(w);
      void this.pull(w);
    }
  }

  private watch(endpointId: string) {
    const w: Watch = { endpointId, cursor: 0, init: Promise.resolve(), failed: false, pulling: false, again: false, closed: false };
    this.watches.set(endpointId, w);
    this.begin(w);
  }

  private begin(w: Watch) {
    w.failed = false;
    w.init = this.latest(w.endpointId).then(
      (seq) => {
        if (seq > w.cursor) w.cursor = seq;
      },
      (err: unknown) => {
        w.failed = true;
        throw err;
      },
    );
    w.init.catch(() => {});
  }

  private unwatch(endpointId: string) {
    const w = this.watches.get(endpointId);
    if (w) w.closed = true;
    this.watches.delete(endpointId);
  }

  private async pull(w: Watch): Promise<void> {
    if (w.pulling) {
      w.again = true;
      return;
    }
    w.pulling = true;
    try {
      await w.init;
      do {
        w.again = false;
        for (;;) {
          const page = await this.read(w.endpointId, w.cursor, PAGE);
          if (w.closed) return;
          for (const c of page) {
            if (c.seq <= w.cursor) continue;
            w.cursor = c.seq;
            this.local.publish(c);
          }
          if (page.length < PAGE) break;
        }
      } while (w.again && !w.closed);
    } catch (err) {
      // The next notification or poll reads again from the same cursor.
      const now = Date.now();
      if (now - this.lastError > 10_000) {
        this.lastError = now;
        log().warn({ err: (err as Error).message, endpointId: w.endpointId }, "live read failed");
      }
    } finally {
      w.pulling = false;
    }
  }
}
