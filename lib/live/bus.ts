// The live bus: the capture door publishes each capture after its commit; SSE streams subscribe
// per endpoint. In-process now; the interface is what a Redis pub/sub implementation fills for
// several instances (publish fans out through Redis, subscribe listens on a channel per endpoint).
import type { CaptureSummary } from "../model/capture";
import { shared } from "../runtime/shared";

export type CaptureListener = (capture: CaptureSummary) => void;

export interface CaptureBus {
  publish(capture: CaptureSummary): void;
  /** Returns the unsubscribe function. */
  subscribe(endpointId: string, listener: CaptureListener): () => void;
  subscriberCount(endpointId: string): number;
  /**
   * Whether a capture published for this endpoint can reach anyone. The capture door builds an
   * event only when it can (a cross-instance bus, which cannot know, answers true).
   */
  hasSubscribers(endpointId: string): boolean;
  /**
   * Resolves once every capture committed from now on reaches this endpoint's subscribers. A
   * stream subscribes, waits for this, then reads what it missed from the database: nothing
   * committed in between can fall through the gap. (In-process: at once. Across threads or
   * instances: when the publishing side has seen the subscription.)
   */
  ready(endpointId: string): Promise<void>;
}

export class InProcessBus implements CaptureBus {
  private readonly listeners = new Map<string, Set<CaptureListener>>();

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
      this.watched(endpointId, true);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(endpointId) === set) {
        this.listeners.delete(endpointId);
        this.watched(endpointId, false);
      }
    };
  }

  /** The endpoints that have subscribers now. */
  protected watchedEndpoints(): string[] {
    return [...this.listeners.keys()];
  }

  /** An endpoint gained its first subscriber (true) or lost its last (false). */
  protected watched(_endpointId: string, _on: boolean): void {}

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

export function bus(): CaptureBus {
  return shared("bus", () => new InProcessBus());
}
