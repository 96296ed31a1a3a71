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
  bodySha256: string;
  contentType: string | null;
  remoteAddr: string;
  rejected: string | null;
  responseStatus: number;
  durationMs: number;
}
