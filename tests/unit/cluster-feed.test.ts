// ClusterFeed (lib/cluster/live-feed.ts): the cursor logic that feeds cluster-mode streams from the
// database. The "database" here is an in-memory table whose rows become visible when committed,
// as PostgreSQL's do; Redis notifications are the notify() calls.
import { describe, expect, it } from "vitest";
import { ClusterFeed } from "@/lib/cluster/live-feed";
import type { CaptureSummary } from "@/lib/model/capture";

function table() {
  const rows: { seq: number; endpointId: string; visible: boolean }[] = [];
  let failNext = 0;
  let reads = 0;
  const summary = (seq: number, endpointId: string) => ({ id: `c${seq}`, endpointId, seq }) as CaptureSummary;
  return {
    add(endpointId: string, seq: number, visible = true) {
      rows.push({ seq, endpointId, visible });
    },
    commit(seq: number) {
      rows.find((r) => r.seq === seq)!.visible = true;
    },
    failReads(n: number) {
      failNext = n;
    },
    get reads() {
      return reads;
    },
    read: async (endpointId: string, after: number, limit: number) => {
      reads++;
      await Promise.resolve();
      if (failNext > 0) {
        failNext--;
        throw new Error("database down");
      }
      return rows
        .filter((r) => r.visible && r.endpointId === endpointId && r.seq > after)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit)
        .map((r) => summary(r.seq, r.endpointId));
    },
    latest: async (endpointId: string) => Math.max(0, ...rows.filter((r) => r.visible && r.endpointId === endpointId).map((r) => r.seq)),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe("ClusterFeed", () => {
  it("starts after the latest stored capture, delivers what is notified in order and once, and only to its endpoint", async () => {
    const db = table();
    db.add("e1", 1);
    db.add("e2", 2);
    const feed = new ClusterFeed(db.read, db.latest);
    const got: number[] = [];
    feed.subscribe("e1", (c) => got.push(c.seq));
    await feed.ready("e1");
    db.add("e1", 3);
    db.add("e2", 4);
    db.add("e1", 5);
    feed.notify("e1", 5);
    feed.notify("e1", 5);
    feed.notify("e2", 4);
    await settle();
    feed.notify("e1", 3); // an old notification: nothing new
    await settle();
    expect(got).toEqual([3, 5]);
  });

  it("a notification that arrives while a read runs makes another read (nothing committed meanwhile is left)", async () => {
    const db = table();
    const feed = new ClusterFeed(db.read, db.latest);
    const got: number[] = [];
    feed.subscribe("e", (c) => got.push(c.seq));
    await feed.ready("e");
    db.add("e", 1);
    feed.notify("e", 1);
    db.add("e", 2);
    feed.notify("e", 2); // the first read is still running
    await settle();
    expect(got).toEqual([1, 2]);
  });

  it("a lost notification is made up by the poll, and a failed read by the next one, with no gap", async () => {
    const db = table();
    const feed = new ClusterFeed(db.read, db.latest);
    const got: number[] = [];
    feed.subscribe("e", (c) => got.push(c.seq));
    await feed.ready("e");
    db.add("e", 1); // nobody said so
    db.failReads(1);
    feed.poll();
    await settle();
    expect(got).toEqual([]);
    db.add("e", 2);
    feed.poll();
    await settle();
    expect(got).toEqual([1, 2]);
  });

  it("reads in pages until the endpoint is caught up", async () => {
    const db = table();
    const feed = new ClusterFeed(db.read, db.latest);
    const got: number[] = [];
    feed.subscribe("e", (c) => got.push(c.seq));
    await feed.ready("e");
    for (let seq = 1; seq <= 250; seq++) db.add("e", seq);
    feed.notify("e", 250);
    await settle();
    expect(got).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  it("an endpoint nobody watches is not read; unsubscribing the last stream stops reading it", async () => {
    const db = table();
    const feed = new ClusterFeed(db.read, db.latest);
    feed.notify("e", 9);
    feed.poll();
    await settle();
    expect(db.reads).toBe(0);
    const off = feed.subscribe("e", () => {});
    await feed.ready("e");
    off();
    expect(feed.watchedEndpoints()).toEqual([]);
    feed.poll();
    await settle();
    expect(db.reads).toBe(0);
  });
});
