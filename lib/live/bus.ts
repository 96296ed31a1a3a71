// The live bus, as two roles. The write path (the capture door, on the door thread) is a
// LivePublisher: it publishes each capture after its commit, for endpoints someone watches. The
// live streams and forwarding (on the main thread) read a LiveFeed: they subscribe per endpoint
// and wait until the publishing side has seen the subscription. Each thread holds only the role it
// can fulfil (lib/live/door-bridge.ts joins the two across threads); in one process, one
// InProcessBus plays both. Cluster mode (lib/cluster/live-feed.ts) installs a LiveFeed of every
// instance's captures, read from the database when Redis says there are new ones.
import type { CaptureSummary } from "../model/capture";
import { shared } from "../runtime/shared";

export type CaptureListener = (capture: CaptureSummary) => void;

/** What the write path uses: publish committed captures. */
export interface LivePublisher {
  /**
   * Whether a capture published for this endpoint can reach anyone. The capture door builds an
   * event only when it can (a cross-instance bus, which cannot know, answers true).
   */
  hasSubscribers(endpointId: string): boolean;
  publish(capture: CaptureSummary): void;
}

/** What the live streams and forwarding use: subscribe to an endpoint's committed captures. */
export interface LiveFeed {
  /** Returns the unsubscribe function. */
  subscribe(endpointId: string, listener: CaptureListener): () => void;
  /**
   * Resolves once every capture committed from now on reaches this endpoint's subscribers. A
   * stream subscribes, waits for this, then reads what it missed from the database: nothing
   * committed in between can fall through the gap. (In-process: at once. Across threads or
   * instances: when the publishing side has seen the subscription.)
   */
  ready(endpointId: string): Promise<void>;
  subscriberCount(endpointId: string): number;
  /** The endpoints that have subscribers now. */
  watchedEndpoints(): string[];
}

/** Both roles in one process. `onWatched` hears an endpoint gain its first subscriber or lose its last. */
export class InProcessBus implements LivePublisher, LiveFeed {
  private readonly listeners = new Map<string, Set<CaptureListener>>();

  constructor(private readonly onWatched?: (endpointId: string, on: boolean) => void) {}

  publish(capture: CaptureSummary): void {
    const set = this.listeners.get(capture.endpointId);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(capture);
      } catch {
        // A broken subscriber must not stop delivery to the others or fail the capture.
      }
    }
  }

  subscribe(endpointId: string, listener: CaptureListener): () => void {
    let set = this.listeners.get(endpointId);
    if (!set) {
      set = new Set();
      this.listeners.set(endpointId, set);
      this.onWatched?.(endpointId, true);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(endpointId) === set) {
        this.listeners.delete(endpointId);
        this.onWatched?.(endpointId, false);
      }
    };
  }

  watchedEndpoints(): string[] {
    return [...this.listeners.keys()];
  }

  ready(_endpointId: string): Promise<void> {
    return Promise.resolve();
  }

  subscriberCount(endpointId: string): number {
    return this.listeners.get(endpointId)?.size ?? 0;
  }

  hasSubscribers(endpointId: string): boolean {
    return this.listeners.has(endpointId);
  }
}

const FEED = "live.feed";
const PUBLISHER = "live.publisher";
/** Without a thread of its own for either role, one in-process bus plays both. */
const inProcess = () => shared("live.inProcess", () => new InProcessBus());

/** The main thread's feed (server.ts installs the door bridge's side with `installLiveFeed`). */
export function liveFeed(): LiveFeed {
  return shared<LiveFeed>(FEED, inProcess);
}

const LOCAL_FEED = "live.localFeed";

/**
 * The captures this instance committed (forwarding: each capture is forwarded by the instance that
 * stored it, once). One instance: the same feed as liveFeed(). Cluster mode (lib/cluster) installs
 * the door bridge here and a feed of every instance's captures as liveFeed().
 */
export function localLiveFeed(): LiveFeed {
  return shared<LiveFeed>(LOCAL_FEED, liveFeed);
}

/** Installs this instance's own feed apart from liveFeed() (cluster mode, before anything subscribes). */
export function installLocalLiveFeed<T extends LiveFeed>(feed: () => T): T {
  return shared(LOCAL_FEED, feed) as T;
}

/** The write path's publisher (the door thread installs its side with `installLivePublisher`). */
export function livePublisher(): LivePublisher {
  return shared<LivePublisher>(PUBLISHER, inProcess);
}

/** Installs this thread's feed (before anything subscribes); returns it. */
export function installLiveFeed<T extends LiveFeed>(feed: () => T): T {
  return shared(FEED, feed) as T;
}

/** Installs this thread's publisher (before anything publishes); returns it. */
export function installLivePublisher<T extends LivePublisher>(publisher: () => T): T {
  return shared(PUBLISHER, publisher) as T;
}
