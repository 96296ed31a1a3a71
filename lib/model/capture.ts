/** Header pairs exactly as they arrived: wire order, original case, duplicates kept. */
export type HeaderPairs = [name: string, value: string][];

/** What the list, the live stream and the API show for a capture without its body. */
export interface CaptureSummary {
  id: string;
  endpointId: string;
  seq: number;
  method: string;
  path: string;
  query: string;
  contentType: string | null;
  bodySize: number;
  remoteAddr: string;
  receivedAt: number;
  rejected: string | null;
  response: { status: number };
  /** Webhook signature detection (lib/signatures/summaries.ts): added by the list, the detail and live events. */
  signature?: CaptureSignature;
}

/** The webhook sender recognised from the headers; `status` once the capture was checked against saved secrets. */
export interface CaptureSignature {
  provider: string | null;
  providerName: string | null;
  eventType: string | null;
  deliveryId: string | null;
  status?: "valid" | "invalid" | "stale" | "unknown";
}

export interface CaptureDetail extends CaptureSummary {
  httpVersion: string;
  headers: HeaderPairs;
  bodySha256: string;
  durationMs: number;
}

/** A capture as the capture door hands it to the writer (seq is assigned at commit). */
export interface NewCapture {
  id: string;
  endpointId: string;
  receivedAt: number;
  method: string;
  path: string;
  query: string;
  httpVersion: string;
  headers: HeaderPairs;
  body: Buffer;
  bodySize: number;
  /** null: the sha256 of `body`, computed by the write worker (off the event loop). */
  bodySha256: string | null;
  contentType: string | null;
  remoteAddr: string;
  rejected: string | null;
  responseStatus: number;
  durationMs: number;
}
