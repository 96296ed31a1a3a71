import { describe, expect, it, vi } from "vitest";
import type { NewCapture } from "@/lib/model/capture";
import { CaptureWriter, StorageUnavailableError, type WriterOptions } from "@/lib/capture/write/writer";

/** The writer's public callback API as a promise: the committed sequence, or the StorageUnavailableError. */
function submit(writer: CaptureWriter, r: NewCapture, deadlineAt: number): Promise<number> {
  return new Promise<number>((resolve, reject) => writer.enqueue(r, deadlineAt, (err, seq) => (err ? reject(err) : resolve(seq))));
}

// The fake storage is the outside world here: it records every group it is handed and answers
// either at once (auto) or when the test releases the call (manual).

let counter = 0;
function row(bodySize = 10): NewCapture {
  counter++;
  return {
    id: `cap_${counter}`,
    endpointId: "ep_1",
    receivedAt: 0,
    method: "POST",
    path: "",
    query: "",
    httpVersion: "1.1",
    headers: [],
    body: Buffer.alloc(0),
    bodySize,
    bodySha256: "",
    contentType: null,
    remoteAddr: "127.0.0.1",
    rejected: null,
    responseStatus: 200,
    durationMs: 0,
  };
}

interface Call {
  ids: string[];
  resolve(): void;
  reject(err: unknown): void;
}

class FakeStorage {
  readonly calls: Call[] = [];
  private nextSeq = 1;
  /** Per call: how to answer. Default: commit every row. */
  behaviour: (rows: readonly NewCapture[], callIndex: number) => "commit" | "manual" | { throw: unknown } | { omit: string[] } = () =>
    "commit";

  get groups(): string[][] {
    return this.calls.map((c) => c.ids);
  }

  readonly insert = (rows: readonly NewCapture[]): Promise<number[]> => {
    const index = this.calls.length;
    const ids = rows.map((r) => r.id);
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<number[]>((res, rej) => {
      resolve = () => res(ids.map(() => this.nextSeq++));
      reject = rej;
    });
    this.calls.push({ ids, resolve, reject });
    const how = this.behaviour(rows, index);
    if (how === "commit") resolve();
    else if (how === "manual") {
      // released by the test
    } else if ("throw" in how) reject(how.throw);
    else {
      return Promise.resolve(ids.map((id) => (how.omit.includes(id) ? 0 : this.nextSeq++)));
    }
    return promise;
  };
}

class BusyError extends Error {}

function makeWriter(storage: FakeStorage, over: Partial<WriterOptions> = {}) {
  const errors: unknown[] = [];
  const writer = new CaptureWriter({
    insert: storage.insert,
    maxBatch: 100,
    maxBatchBytes: 1_000_000,
    maxInflight: 1000,
    pipeline: 1,
    isBusy: (err) => err instanceof BusyError,
    onError: (err) => errors.push(err),
    ...over,
  });
  return { writer, errors };
}

const far = () => Date.now() + 10_000;
const ticks = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StorageUnavailableError);
    return (err as StorageUnavailableError).reason;
  }
  throw new Error("expected a rejection");
}

describe("CaptureWriter group commit", () => {
  it.each([1, 2, 5, 50])("commits %i captures submitted in the same tick as one group", async (n) => {
    const storage = new FakeStorage();
    const { writer } = makeWriter(storage);
    const rows = Array.from({ length: n }, () => row());
    const seqs = await Promise.all(rows.map((r) => submit(writer, r, far())));
    expect(storage.groups).toEqual([rows.map((r) => r.id)]);
    expect(new Set(seqs).size).toBe(n);
    expect(writer.pending).toBe(0);
  });

  it("commits captures submitted one after another (idle server) in separate groups", async () => {
    const storage = new FakeStorage();
    const { writer } = makeWriter(storage);
    const a = row();
    const b = row();
    await submit(writer, a, far());
    await submit(writer, b, far());
    expect(storage.groups).toEqual([[a.id], [b.id]]);
  });

  it("resolves each submit with the sequence storage assigned to its own row", async () => {
    const storage = new FakeStorage();
    const assigned = new Map<string, number>();
    // Assign sequences in reverse order so a mix-up between rows cannot go unnoticed.
    const insert = async (rows: readonly NewCapture[]) => {
      storage.calls.push({ ids: rows.map((r) => r.id), resolve() {}, reject() {} });
      for (const [i, r] of rows.entries()) assigned.set(r.id, 1000 - i);
      return rows.map((_, i) => 1000 - i);
    };
    const { writer } = makeWriter(storage, { insert });
    const rows = [row(), row(), row(), row()];
    const seqs = await Promise.all(rows.map((r) => submit(writer, r, far())));
    expect(seqs).toEqual(rows.map((r) => assigned.get(r.id)));
    expect(seqs).toEqual([1000, 999, 998, 997]);
  });

  it.each([
    { n: 5, maxBatch: 2, sizes: [2, 2, 1] },
    { n: 6, maxBatch: 3, sizes: [3, 3] },
    { n: 3, maxBatch: 1, sizes: [1, 1, 1] },
    { n: 4, maxBatch: 10, sizes: [4] },
  ])("maxBatch $maxBatch caps groups of $n queued captures to $sizes", async ({ n, maxBatch, sizes }) => {
    const storage = new FakeStorage();
    const { writer } = makeWriter(storage, { maxBatch });
    const rows = Array.from({ length: n }, () => row());
    await Promise.all(rows.map((r) => submit(writer, r, far())));
    expect(storage.groups.map((g) => g.length)).toEqual(sizes);
    // Submission order is kept across groups.
    expect(storage.groups.flat()).toEqual(rows.map((r) => r.id));
  });

  it.each([
    { bodySizes: [40, 40, 40], maxBatchBytes: 100, sizes: [2, 1] },
    { bodySizes: [150, 10], maxBatchBytes: 100, sizes: [1, 1] },
    { bodySizes: [50, 50, 1], maxBatchBytes: 100, sizes: [2, 1] },
    { bodySizes: [10, 10, 10], maxBatchBytes: 100, sizes: [3] },
  ])("maxBatchBytes $maxBatchBytes splits bodies $bodySizes into $sizes", async ({ bodySizes, maxBatchBytes, sizes }) => {
    const storage = new FakeStorage();
    const { writer } = makeWriter(storage, { maxBatchBytes });
    await Promise.all(bodySizes.map((s) => submit(writer, row(s), far())));
    expect(storage.groups.map((g) => g.length)).toEqual(sizes);
  });
});

describe("CaptureWriter eager groups", () => {
  it("hands a group to storage as soon as eagerRows captures are queued, within the same turn", async () => {
    const storage = new FakeStorage();
    const { writer } = makeWriter(storage, { eagerRows: 3, pipeline: 4 });
    const rows = Array.from({ length: 4 }, () => row());
    const done = rows.map((r) => submit(writer, r, far()));
    // No tick has passed: the first three went at once, the fourth waits for the next turn.
    expect(storage.groups).toEqual([rows.slice(0, 3).map((r) => r.id)]);
    await Promise.all(done);
    expect(storage.groups).toEqual([rows.slice(0, 3).map((r) => r.id), [rows[3]!.id]]);
  });

  it("without eagerRows, nothing is handed over before the turn ends", () => {
    const storage = new FakeStorage();
    const { writer } = makeWriter(storage, { pipeline: 4 });
    for (let i = 0; i < 5; i++) void submit(writer, row(), far());
    expect(storage.calls.length).toBe(0);
  });
});

describe("CaptureWriter refusals", () => {
  it.each([1, 2, 4])("with maxInflight %i, the next submit is refused at once as overloaded", async (maxInflight) => {
    const storage = new FakeStorage();
    storage.behaviour = () => "manual";
    const { writer } = makeWriter(storage, { maxInflight });
    const accepted = Array.from({ length: maxInflight }, () => submit(writer, row(), far()));
    const extra = row();
    let settled = false;
    const refused = submit(writer, extra, far()).finally(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true); // refused without waiting for storage
    expect(await reason(refused)).toBe("overloaded");
    expect(writer.pending).toBe(maxInflight);

    await vi.waitFor(() => expect(storage.calls.length).toBe(1));
    storage.calls[0]!.resolve();
    await Promise.all(accepted);
    expect(storage.groups.flat()).not.toContain(extra.id);

    // Capacity is back once the inflight captures settle.
    storage.behaviour = () => "commit";
    await expect(submit(writer, row(), far())).resolves.toBeTypeOf("number");
    expect(writer.pending).toBe(0);
  });

  it("refuses a queued capture whose deadline passes as 'deadline' and never hands it to storage", async () => {
    const storage = new FakeStorage();
    storage.behaviour = (_rows, i) => (i === 0 ? "manual" : "commit");
    const { writer } = makeWriter(storage, { pipeline: 1 });
    const first = row();
    const p1 = submit(writer, first, far());
    await vi.waitFor(() => expect(storage.calls.length).toBe(1));

    const late = row();
    const p2 = submit(writer, late, Date.now() + 30);
    expect(await reason(p2)).toBe("deadline");
    expect(writer.pending).toBe(1); // the refused capture no longer counts as inflight

    storage.calls[0]!.resolve();
    await expect(p1).resolves.toBeTypeOf("number");
    await ticks();
    await sleep(10);
    expect(storage.groups).toEqual([[first.id]]);
    expect(storage.groups.flat()).not.toContain(late.id);
  });

  it("a capture whose deadline passes while its insert runs is answered by that insert: a late commit acknowledges it", async () => {
    const storage = new FakeStorage();
    storage.behaviour = () => "manual";
    const { writer } = makeWriter(storage);
    let settled = false;
    const outcome = submit(writer, row(), Date.now() + 30).finally(() => (settled = true));
    await vi.waitFor(() => expect(storage.calls.length).toBe(1));
    await new Promise((r) => setTimeout(r, 80)); // well past the deadline
    expect(settled).toBe(false); // never a 503 for something that may still commit
    storage.calls[0]!.resolve();
    expect(typeof (await outcome)).toBe("number");
    expect(writer.pending).toBe(0);
  });

  it("a capture whose deadline passed during a failed insert is refused as soon as the insert fails", async () => {
    const storage = new FakeStorage();
    storage.behaviour = () => "manual";
    const { writer } = makeWriter(storage);
    const outcome = reason(submit(writer, row(), Date.now() + 30));
    await vi.waitFor(() => expect(storage.calls.length).toBe(1));
    await new Promise((r) => setTimeout(r, 60));
    storage.calls[0]!.reject(new Error("connection reset"));
    expect(await outcome).toBe("failed");
    expect(writer.pending).toBe(0);
  });

  it("rejects every row of a group with 'failed' when insert throws a non-busy error", async () => {
    const storage = new FakeStorage();
    const boom = new Error("disk full");
    storage.behaviour = (_rows, i) => (i === 0 ? { throw: boom } : "commit");
    const { writer, errors } = makeWriter(storage);
    const rows = [row(), row(), row()];
    const results = await Promise.allSettled(rows.map((r) => submit(writer, r, far())));
    expect(storage.groups).toEqual([rows.map((r) => r.id)]); // not retried
    for (const r of results) {
      expect(r.status).toBe("rejected");
      const err = (r as PromiseRejectedResult).reason as StorageUnavailableError;
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect(err.reason).toBe("failed");
      expect(err.cause).toBe(boom);
    }
    expect(errors).toEqual([boom]);
    expect(writer.pending).toBe(0);

    // The writer keeps working after a failed group.
    await expect(submit(writer, row(), far())).resolves.toBeTypeOf("number");
  });

  it("rejects only the rows storage returned no sequence for with 'failed'", async () => {
    const storage = new FakeStorage();
    const rows = [row(), row(), row()];
    storage.behaviour = () => ({ omit: [rows[1]!.id] });
    const { writer } = makeWriter(storage);
    const results = await Promise.allSettled(rows.map((r) => submit(writer, r, far())));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(((results[1] as PromiseRejectedResult).reason as StorageUnavailableError).reason).toBe("failed");
  });

  it.each([1, 2, 4])("retries a group after %i busy error(s) until it commits", async (busyTimes) => {
    const storage = new FakeStorage();
    storage.behaviour = (_rows, i) => (i < busyTimes ? { throw: new BusyError("SQLITE_BUSY") } : "commit");
    const { writer, errors } = makeWriter(storage);
    const rows = [row(), row()];
    const seqs = await Promise.all(rows.map((r) => submit(writer, r, far())));
    expect(seqs.every((s) => typeof s === "number")).toBe(true);
    // The same group is handed over again each time.
    expect(storage.groups).toEqual(Array.from({ length: busyTimes + 1 }, () => rows.map((r) => r.id)));
    expect(errors).toHaveLength(busyTimes);
    expect(errors.every((e) => e instanceof BusyError)).toBe(true);
  });

  it("keeps retrying a busy group until its deadline passes, then refuses with 'deadline' and stops", async () => {
    const storage = new FakeStorage();
    storage.behaviour = () => ({ throw: new BusyError("locked") });
    const { writer } = makeWriter(storage);
    const p = submit(writer, row(), Date.now() + 150);
    expect(await reason(p)).toBe("deadline");
    expect(storage.calls.length).toBeGreaterThanOrEqual(2);
    const callsAtDeadline = storage.calls.length;
    await sleep(100);
    expect(storage.calls.length).toBeLessThanOrEqual(callsAtDeadline + 1);
    const settledCalls = storage.calls.length;
    await sleep(60);
    expect(storage.calls.length).toBe(settledCalls);
    expect(writer.pending).toBe(0);
  });
});

describe("CaptureWriter pipeline", () => {
  it.each([
    { pipeline: 1, concurrent: false },
    { pipeline: 2, concurrent: true },
  ])("pipeline $pipeline: second group handed to storage while the first is pending = $concurrent", async ({ pipeline, concurrent }) => {
    const storage = new FakeStorage();
    storage.behaviour = () => "manual";
    const { writer } = makeWriter(storage, { pipeline });
    const a = row();
    const b = row();
    const pa = submit(writer, a, far());
    await vi.waitFor(() => expect(storage.calls.length).toBe(1));
    const pb = submit(writer, b, far());
    await ticks();
    await sleep(20);
    expect(storage.groups).toEqual(concurrent ? [[a.id], [b.id]] : [[a.id]]);

    storage.calls[0]!.resolve();
    await pa;
    await vi.waitFor(() => expect(storage.calls.length).toBe(2));
    expect(storage.groups).toEqual([[a.id], [b.id]]);
    storage.calls[1]!.resolve();
    await expect(pb).resolves.toBeTypeOf("number");
  });

  it("never has more than `pipeline` groups in storage at once", async () => {
    for (const pipeline of [1, 2, 3]) {
      const storage = new FakeStorage();
      let open = 0;
      let peak = 0;
      const insert = async (rows: readonly NewCapture[]) => {
        open++;
        peak = Math.max(peak, open);
        await sleep(5);
        open--;
        return storage.insert(rows);
      };
      const { writer } = makeWriter(storage, { pipeline, insert, maxBatch: 1 });
      const all: Promise<number>[] = [];
      for (let i = 0; i < 12; i++) {
        all.push(submit(writer, row(), far()));
        await ticks(1);
      }
      await Promise.all(all);
      expect(peak, `pipeline ${pipeline}`).toBe(pipeline);
    }
  });
});
