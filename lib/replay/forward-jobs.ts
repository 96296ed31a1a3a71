// The Forwarder's job records, limits and busy-retry (forwarder.ts).
import { isBusyError } from "../db/errors";
import { randomToken } from "../runtime/ids";
import type { NewAttempt } from "./attempts";

export interface RuleSnap {
  url: string;
  followRedirects: boolean;
  maxAttempts: number;
}

export interface Queued {
  captureId: string;
  endpointId: string;
  url: string;
}

export interface JobUpdate {
  state: "pending" | "delivered" | "failed";
  attempts?: number;
  nextAt?: Date;
  lastError?: string | null;
}

/** A finished try (or a cancellation) waiting to be written. */
export interface Finished {
  jobId: string;
  attempt: NewAttempt | null;
  update: JobUpdate;
}

export const FLUSH_MAX = 500;
export const QUEUE_LIMIT = 100_000;
export const RECONCILE_WINDOW_MS = 60 * 60_000;
export const RECONCILE_MAX = 5000;
export const FINISHED_RETENTION_MS = 7 * 86_400_000;

export const newForwardJobId = () => `fj_${Date.now().toString(36).padStart(9, "0")}${randomToken(12)}`;

export async function retryBusy<T>(fn: () => Promise<T>, tries = 40): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusyError(err) || i >= tries) throw err;
      await new Promise((r) => setTimeout(r, Math.min(200, 10 * i)));
    }
  }
}
