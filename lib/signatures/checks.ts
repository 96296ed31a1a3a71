/**
 * Stored signature statuses (SignatureCheck rows): computed in the background for every capture of an endpoint
 * after its saved secrets change, and lazily for the captures a list or detail shows that have none yet. Never on
 * the capture door's path.
 *
 * Consistency: each endpoint has an in-process generation number, bumped when its secrets change (and its rows
 * deleted). A computation remembers the generation it started under and writes nothing if it changed meanwhile,
 * so a status computed with the old secrets cannot overwrite one computed with the new.
 */
import "../runtime/server-only";
import { db } from "../db/client";
import { log } from "../runtime/log";
import { shared } from "../runtime/shared";
import { captureStatus, type SignatureStatus } from "./capture-status";
import { storedSelect, toStored, type EndpointKeys, type StoredCapture } from "./stored-capture";
import { loadCandidates, type SecretCandidateRow } from "./secrets";

/** Captures re-verified per background batch (one read, one write transaction). */
export const RECHECK_BATCH = 50;
/** Newest captures re-verified per endpoint after a secret change; older ones are checked lazily when shown. */
export const RECHECK_MAX_CAPTURES = 10_000;
/** Body bytes read per background batch, at most (a single larger body is still read on its own). */
const RECHECK_BATCH_BYTES = 16 * 1024 * 1024;

interface CheckState {
  generation: Map<string, number>;
  running: Set<string>;
  /** Endpoints waiting for a run (in order), or asked to run again once the current run ends. */
  queue: string[];
  active: boolean;
}

const state = () => shared<CheckState>("signature-checks", () => ({ generation: new Map(), running: new Set(), queue: [], active: false }));

export function generationOf(endpointId: string): number {
  return state().generation.get(endpointId) ?? 0;
}

/** True while a background re-verification of the endpoint is queued or running. */
export function recheckPending(endpointId: string): boolean {
  const s = state();
  return s.running.has(endpointId) || s.queue.includes(endpointId);
}

/**
 * After the endpoint's secrets changed: every stored status is dropped at once (so no list shows a status from the
 * old secrets), then recomputed in the background.
 */
export async function invalidateChecks(endpointId: string): Promise<void> {
  await reloadLiveKeys(endpointId);
  await db().signatureCheck.deleteMany({ where: { endpointId } });
  scheduleRecheck(endpointId);
  for (const listener of secretListeners()) listener(endpointId);
}

/** Open live streams of the endpoint verify with its current secrets from now on. */
async function reloadLiveKeys(endpointId: string): Promise<void> {
  state().generation.set(endpointId, generationOf(endpointId) + 1);
  const live = liveKeys().get(endpointId);
  if (live)
    await loadLiveKeys(endpointId, live).catch((err: unknown) =>
      log().warn({ endpointId, err: err instanceof Error ? err.message : String(err) }, "live signature keys not reloaded"),
    );
}

type SecretsListener = (endpointId: string) => void;
const secretListeners = () => shared("signature-secret-listeners", () => new Set<SecretsListener>());

/** Hears every secret change made in this process (cluster mode tells the other instances: lib/cluster). */
export function onSecretsChanged(listener: SecretsListener): () => void {
  secretListeners().add(listener);
  return () => secretListeners().delete(listener);
}

/**
 * The endpoint's secrets changed on another instance (which dropped the stored checks and re-verifies them):
 * this instance's live streams of it load the new secrets.
 */
export function secretsChangedElsewhere(endpointId: string): Promise<void> {
  return reloadLiveKeys(endpointId);
}

/** Queues a background re-verification of the endpoint's captures (deduplicated; one endpoint at a time). */
export function scheduleRecheck(endpointId: string): void {
  const s = state();
  if (!s.queue.includes(endpointId)) s.queue.push(endpointId);
  if (!s.active) {
    s.active = true;
    setImmediate(() => void drain());
  }
}

async function drain(): Promise<void> {
  const s = state();
  try {
    for (let next = s.queue.shift(); next !== undefined; next = s.queue.shift()) {
      s.running.add(next);
      try {
        await recheckEndpoint(next);
      } catch (err) {
        log().warn({ endpointId: next, err: err instanceof Error ? err.message : String(err) }, "signature re-verification failed");
      } finally {
        s.running.delete(next);
      }
    }
  } finally {
    s.active = false;
  }
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

async function endpointKeys(endpointId: string): Promise<EndpointKeys | null> {
  return db().endpoint.findUnique({ where: { id: endpointId }, select: { token: true, alias: true } });
}

/** Re-verifies the newest RECHECK_MAX_CAPTURES captures of an endpoint, in batches, and stores their statuses. */
async function recheckEndpoint(endpointId: string): Promise<void> {
  const generation = generationOf(endpointId);
  const endpoint = await endpointKeys(endpointId);
  if (endpoint === null) return;
  const candidates = await loadCandidates(endpointId);
  if (candidates.length === 0) {
    // Without secrets every capture is "unknown": no rows needed.
    await db().signatureCheck.deleteMany({ where: { endpointId } });
    return;
  }
  let before: number | undefined;
  let done = 0;
  while (done < RECHECK_MAX_CAPTURES) {
    if (generationOf(endpointId) !== generation) return; // secrets changed again: a new run is queued
    const heads = await db().capture.findMany({
      where: { endpointId, ...(before !== undefined && { seq: { lt: before } }) },
      orderBy: { seq: "desc" },
      take: RECHECK_BATCH,
      select: { id: true, seq: true, bodySize: true },
    });
    if (heads.length === 0) return;
    // Bound the bytes read per batch.
    let bytes = 0;
    let take = 0;
    for (const h of heads) {
      if (take > 0 && bytes + h.bodySize > RECHECK_BATCH_BYTES) break;
      bytes += h.bodySize;
      take += 1;
    }
    const ids = heads.slice(0, take).map((h) => h.id);
    before = heads[take - 1]!.seq;
    const rows = await db().capture.findMany({ where: { id: { in: ids } }, select: storedSelect });
    const results = rows.map((row) => {
      const capture = toStored(row);
      return { capture, ...captureStatus(capture, endpoint, candidates) };
    });
    if (generationOf(endpointId) !== generation) return;
    await writeChecks(endpointId, results);
    done += take;
    await yieldToIo();
  }
}

async function writeChecks(
  endpointId: string,
  results: readonly { capture: StoredCapture; provider: string | null; status: SignatureStatus }[],
): Promise<void> {
  if (results.length === 0) return;
  const checkedAt = new Date();
  await db().$transaction(
    results.map((r) =>
      db().signatureCheck.upsert({
        where: { captureId: r.capture.id },
        create: { captureId: r.capture.id, endpointId, provider: r.provider, status: r.status, checkedAt },
        update: { provider: r.provider, status: r.status, checkedAt },
      }),
    ),
  );
}

/** Stored statuses of an endpoint's captures (newest RECHECK_MAX_CAPTURES rows at most). */
export async function listChecks(endpointId: string): Promise<Record<string, SignatureStatus>> {
  const rows = await db().signatureCheck.findMany({
    where: { endpointId },
    select: { captureId: true, status: true },
    orderBy: { checkedAt: "desc" },
    take: RECHECK_MAX_CAPTURES,
  });
  return Object.fromEntries(rows.map((r) => [r.captureId, r.status as SignatureStatus]));
}

/**
 * Rows fetched by their unique ids, kept only when they belong to the endpoint. Queries for a page of ids select by
 * id ONLY: with `endpointId = ?` beside `id IN (…)`, SQLite without statistics (and with stale ones) estimates the
 * endpoint's rows as few and plans by the (endpointId, seq) index, reading every capture of the endpoint (1.5 s at
 * 1.2 M) rather than one unique-index probe per id. The endpoint scoping is the same, applied to the rows.
 */
export function byIdsOfEndpoint<T extends { endpointId: string }>(endpointId: string, rows: readonly T[]): T[] {
  return rows.filter((r) => r.endpointId === endpointId);
}

/** Lazily verified captures per list request, at most. */
export const LAZY_CHECKS_PER_REQUEST = 50;
/** …and at most this many body bytes read for them. */
export const LAZY_CHECK_BYTES = 8 * 1024 * 1024;

/**
 * Statuses for captures shown by a list or detail: the stored ones, and for those without one (new captures) a
 * bounded number computed now and stored. Captures left out have no status until a later request.
 */
export async function statusesFor(
  endpointId: string,
  captures: readonly { id: string; bodySize: number }[],
): Promise<Map<string, SignatureStatus>> {
  const out = new Map<string, SignatureStatus>();
  if (captures.length === 0) return out;
  const ids = captures.map((c) => c.id);
  const stored = await db().signatureCheck.findMany({ where: { captureId: { in: ids } }, select: { captureId: true, status: true } });
  for (const r of stored) out.set(r.captureId, r.status as SignatureStatus);
  const missing = captures.filter((c) => !out.has(c.id));
  if (missing.length === 0) return out;

  const generation = generationOf(endpointId);
  const candidates = await loadCandidates(endpointId);
  if (candidates.length === 0) {
    for (const c of captures) out.set(c.id, "unknown");
    return out;
  }
  const endpoint = await endpointKeys(endpointId);
  if (endpoint === null) return out;
  let bytes = 0;
  const wanted: string[] = [];
  for (const c of missing) {
    if (wanted.length >= LAZY_CHECKS_PER_REQUEST) break;
    if (wanted.length > 0 && bytes + c.bodySize > LAZY_CHECK_BYTES) continue;
    bytes += c.bodySize;
    wanted.push(c.id);
  }
  // By id alone, the endpoint checked on the rows: the query plan (byIdsOfEndpoint).
  const rows = byIdsOfEndpoint(endpointId, await db().capture.findMany({ where: { id: { in: wanted } }, select: storedSelect }));
  const results = computeStatuses(rows.map(toStored), endpoint, candidates);
  for (const r of results) out.set(r.capture.id, r.status);
  if (generationOf(endpointId) === generation) {
    try {
      await writeChecks(endpointId, results);
    } catch (err) {
      // A busy database only costs a recomputation next time.
      log().debug({ endpointId, err: err instanceof Error ? err.message : String(err) }, "lazy signature checks not stored");
    }
  } else {
    for (const r of results) out.delete(r.capture.id);
  }
  return out;
}

function computeStatuses(captures: readonly StoredCapture[], endpoint: EndpointKeys, candidates: readonly SecretCandidateRow[]) {
  return captures.map((capture) => ({ capture, ...captureStatus(capture, endpoint, candidates) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Live events

/**
 * A live stream verifies each new capture as it arrives, in memory, from the committed row's own headers and bytes,
 * so a live row says valid or invalid at once instead of after a reload. The endpoint's keys and saved secrets are
 * loaded once while any stream of it is open, and again after they change (its generation moves on).
 */
interface LiveKeys {
  generation: number;
  endpoint: EndpointKeys | null;
  candidates: SecretCandidateRow[];
  streams: number;
  loading: Promise<void> | null;
}

const liveKeys = () => shared("signature-live-keys", () => new Map<string, LiveKeys>());

function loadLiveKeys(endpointId: string, entry: LiveKeys): Promise<void> {
  if (entry.generation === generationOf(endpointId)) return Promise.resolve();
  if (!entry.loading) {
    const generation = generationOf(endpointId);
    entry.loading = Promise.all([endpointKeys(endpointId), loadCandidates(endpointId)])
      .then(([endpoint, candidates]) => {
        entry.endpoint = endpoint;
        entry.candidates = candidates;
        entry.generation = generation;
      })
      .finally(() => {
        entry.loading = null;
      });
  }
  return entry.loading;
}

/** A stream of the endpoint opens: its keys are loaded (or already are). Returns the stream's release. */
export async function watchLiveStatuses(endpointId: string): Promise<() => void> {
  const map = liveKeys();
  let entry = map.get(endpointId);
  if (!entry) {
    entry = { generation: -1, endpoint: null, candidates: [], streams: 0, loading: null };
    map.set(endpointId, entry);
  }
  entry.streams++;
  const held = entry;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (--held.streams === 0 && map.get(endpointId) === held) map.delete(endpointId);
  };
  try {
    await loadLiveKeys(endpointId, held);
  } catch (err) {
    // Live rows then show their sender without a status, as before; the list still computes it.
    log().warn({ endpointId, err: err instanceof Error ? err.message : String(err) }, "live signature keys not loaded");
  }
  return release;
}

/**
 * The status of a capture just committed, for its live event; undefined when no stream watches its endpoint or its
 * secrets are being loaded again after a change.
 */
export function liveStatus(capture: StoredCapture): SignatureStatus | undefined {
  const entry = liveKeys().get(capture.endpointId);
  if (!entry) return undefined;
  if (entry.generation !== generationOf(capture.endpointId)) {
    loadLiveKeys(capture.endpointId, entry).catch((err: unknown) =>
      log().debug({ err: err instanceof Error ? err.message : String(err) }, "live signature keys not reloaded"),
    );
    return undefined;
  }
  if (entry.endpoint === null) return undefined;
  if (entry.candidates.length === 0) return "unknown";
  return captureStatus(capture, entry.endpoint, entry.candidates).status;
}
