// A stored capture as verification reads it (evaluate.ts, checks.ts): exact body bytes, raw headers, public URLs.
import "../runtime/server-only";
import { db } from "../db/client";
import { captureUrl } from "../endpoints/endpoints";
import { notFound } from "../errors";
import type { HeaderPairs } from "../model/capture";
import { detectProvider } from "./detect";
import type { ProviderId } from "./registry";

/** A capture as stored: raw headers (wire order) and the exact body bytes. */
export interface StoredCapture {
  id: string;
  endpointId: string;
  method: string;
  path: string;
  query: string;
  headers: HeaderPairs;
  body: Uint8Array;
  contentType: string | null;
  receivedAt: number;
}

export interface EndpointKeys {
  token: string;
  alias: string | null;
}

export const storedSelect = {
  id: true,
  endpointId: true,
  method: true,
  path: true,
  query: true,
  headers: true,
  body: true,
  contentType: true,
  receivedAt: true,
} as const;

export function toStored(row: {
  id: string;
  endpointId: string;
  method: string;
  path: string;
  query: string;
  headers: string;
  body: Uint8Array;
  contentType: string | null;
  receivedAt: bigint;
}): StoredCapture {
  return { ...row, headers: JSON.parse(row.headers) as HeaderPairs, receivedAt: Number(row.receivedAt) };
}

/** The stored capture with its endpoint's token and alias. The caller has checked access. */
export async function loadStoredCapture(captureId: string): Promise<{ capture: StoredCapture; endpoint: EndpointKeys }> {
  const row = await db().capture.findUnique({
    where: { id: captureId },
    select: { ...storedSelect, endpoint: { select: { token: true, alias: true } } },
  });
  if (!row) throw notFound("capture");
  const { endpoint, ...rest } = row;
  return { capture: toStored(rest), endpoint };
}

/** Public URLs the sender may have called: the token URL first, then the alias URL. */
export function captureUrls(capture: Pick<StoredCapture, "path" | "query">, endpoint: EndpointKeys): string[] {
  const suffix = `${capture.path}${capture.query ? `?${capture.query}` : ""}`;
  const urls = [`${captureUrl(endpoint.token)}${suffix}`];
  if (endpoint.alias) urls.push(`${captureUrl(endpoint.alias)}${suffix}`);
  return urls;
}

/** The provider of a capture: detected from the raw headers (and body only when needed). */
export function detectedProvider(capture: StoredCapture): ProviderId | null {
  return detectProvider(capture.headers, capture.body).provider;
}
