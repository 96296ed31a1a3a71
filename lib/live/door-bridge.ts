// What the main thread (Next.js, the live streams, forwarding) and the door thread (the public
// HTTP listener and the capture door, lib/door/door-thread.ts) tell each other. Only a little
// crosses: which endpoints have live subscribers, evictions from the endpoint cache, and the
// committed captures of watched endpoints, one message per committed group.
import type { MessagePort } from "node:worker_threads";
import { InProcessBus, type CaptureListener, type LiveFeed, type LivePublisher } from "./bus";
import { LIVE_RAW, liveRawOf, type LiveRaw } from "./event";
import type { CaptureSummary, HeaderPairs } from "../model/capture";

/** Main → door. */
export type ToDoor = { watch: string; ack: number } | { unwatch: string } | { forget: string[] } | { stop: true } | { appReady: true };

/** [endpointId, seq] of a committed capture. */
export type Committed = [endpointId: string, seq: number];

/** A live event as it crosses: the summary, and the raw parts a stream transform may read. */
export type LiveEvent = { summary: CaptureSummary; headers: HeaderPairs; body: Uint8Array; contentType: string | null };

/** Door → main. */
export type FromDoor =
  | { listening: { port: number; capturePort: number | null } }
  /** The door has seen the watch numbered `ack` for endpoint `watch`. */
  | { ack: number; watch: string }
  | { events: LiveEvent[] }
  /** Cluster mode: every committed capture's endpoint and sequence, one message per committed group. */
  | { committed: Committed[] }
  | { stopped: true };

/**
 * The main thread's side: a LiveFeed whose subscriptions are told to the door thread (the door
 * builds a live event only for watched endpoints). ready() resolves when the door has seen the
 * subscription: from then on, every capture it commits for the endpoint reaches here, through
 * deliver(). Nothing on the main thread publishes.
 */
export class MirroredFeed implements LiveFeed {
  private readonly local = new InProcessBus((endpointId, on) => this.watched(endpointId, on));
  private door: { postMessage(msg: ToDoor): void } | null = null;
  private nextAck = 1;
  /** Per endpoint, the watch the door has not confirmed yet (its number, and ready()'s promise). */
  private pending = new Map<string, { ack: number; promise: Promise<void>; resolve: () => void }>();

  subscribe(endpointId: string, listener: CaptureListener): () => void {
    return this.local.subscribe(endpointId, listener);
  }

  subscriberCount(endpointId: string): number {
    return this.local.subscriberCount(endpointId);
  }

  watchedEndpoints(): string[] {
    return this.local.watchedEndpoints();
  }

  /** Attaches (or re-attaches, after a restart) a door thread: it is told every watched endpoint. */
  attach(door: { postMessage(msg: ToDoor): void }): void {
    this.door = door;
    for (const endpointId of this.watchedEndpoints()) this.sendWatch(endpointId);
  }

  private watched(endpointId: string, on: boolean): void {
    if (!this.door) return;
    if (on) this.sendWatch(endpointId);
    else {
      this.settle(endpointId);
      this.door.postMessage({ unwatch: endpointId });
    }
  }

  private sendWatch(endpointId: string) {
    const ack = this.nextAck++;
    // Sent again (a new door thread): ready() still waits, now for this watch's confirmation.
    const waiting = this.pending.get(endpointId);
    if (waiting) waiting.ack = ack;
    else {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending.set(endpointId, { ack, promise, resolve });
    }
    this.door!.postMessage({ watch: endpointId, ack });
  }

  private settle(endpointId: string) {
    const p = this.pending.get(endpointId);
    if (!p) return;
    this.pending.delete(endpointId);
    p.resolve();
  }

  /** The door confirmed a watch (an older one, since replaced by a newer watch, settles nothing). */
  acknowledged({ watch, ack }: { watch: string; ack: number }): void {
    if (this.pending.get(watch)?.ack === ack) this.settle(watch);
  }

  ready(endpointId: string): Promise<void> {
    return this.pending.get(endpointId)?.promise ?? Promise.resolve();
  }

  /** Committed captures from the door: handed to the subscribers with their raw parts attached again. */
  deliver(events: readonly LiveEvent[]): void {
    for (const e of events) {
      const raw: LiveRaw = {
        headers: e.headers,
        body: Buffer.from(e.body.buffer, e.body.byteOffset, e.body.byteLength),
        contentType: e.contentType,
      };
      Object.defineProperty(e.summary, LIVE_RAW, { value: raw, enumerable: false });
      this.local.publish(e.summary);
    }
  }
}

/**
 * The door thread's side: a LivePublisher with no subscribers of its own. hasSubscribers answers
 * from the set the main thread mirrors, and publish() queues the event for the main thread. The
 * events of one committed group (published in one turn) go in one message.
 */
export class DoorPublisher implements LivePublisher {
  private readonly watched = new Set<string>();
  private queue: LiveEvent[] = [];

  constructor(private readonly port: MessagePort) {}

  /** Handles a main → door message about subscriptions; false if it was not one. */
  handle(msg: ToDoor): boolean {
    if ("watch" in msg) {
      this.watched.add(msg.watch);
      this.port.postMessage({ ack: msg.ack, watch: msg.watch } satisfies FromDoor);
      return true;
    }
    if ("unwatch" in msg) {
      this.watched.delete(msg.unwatch);
      return true;
    }
    return false;
  }

  hasSubscribers(endpointId: string): boolean {
    return this.watched.has(endpointId);
  }

  publish(capture: CaptureSummary): void {
    if (!this.watched.has(capture.endpointId)) return;
    const raw = liveRawOf(capture);
    // The raw parts sit under a symbol, which a structured clone leaves out: they cross beside it.
    this.queue.push({
      summary: capture,
      headers: raw?.headers ?? [],
      body: raw?.body ?? new Uint8Array(0),
      contentType: raw?.contentType ?? null,
    });
    if (this.queue.length === 1) queueMicrotask(this.flush);
  }

  private readonly flush = () => {
    const events = this.queue;
    this.queue = [];
    this.port.postMessage({ events } satisfies FromDoor);
  };
}

/**
 * The door thread's publisher in cluster mode (REDIS_URL): as above for the endpoints watched here
 * (forwarding reads them), and besides, every committed capture's [endpointId, seq] goes to the main
 * thread, which tells the other instances (lib/cluster/live-feed.ts). It cannot know who watches
 * elsewhere, so it answers hasSubscribers with true.
 */
export class ClusterDoorPublisher extends DoorPublisher {
  private committed: Committed[] = [];

  constructor(private readonly out: MessagePort) {
    super(out);
  }

  override hasSubscribers(_endpointId: string): boolean {
    return true;
  }

  override publish(capture: CaptureSummary): void {
    super.publish(capture);
    this.committed.push([capture.endpointId, capture.seq]);
    if (this.committed.length === 1) queueMicrotask(this.flushCommitted);
  }

  private readonly flushCommitted = () => {
    const committed = this.committed;
    this.committed = [];
    this.out.postMessage({ committed } satisfies FromDoor);
  };
}
