// The search projection's tail (SQLite, lib/capture/write/search-tail.ts): when captures queue up behind the write
// worker, it commits them without their CaptureSearch rows and projects them between commits, on the projection
// thread. Observed on the real server: a burst leaves captures without a projection row for a while (the tail
// exists), every capture acknowledged before a search starts is found by it all the same (the search confirms
// the tail from the bytes), and once the burst is over every capture has its row and the FTS index covers them.
// Also after a restart: captures committed without their projection (rows removed here) are projected at start.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, startServer, type TestServer } from "../helpers/server";

const counts = (server: TestServer) => {
  const db = new Database(`${server.dataDir}/hookscope.db`, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT (SELECT count(*) FROM "Capture") AS "captures", (SELECT count(*) FROM "CaptureSearch") AS "projected",
                (SELECT count(*) FROM "Capture" WHERE "seq" > (SELECT coalesce(max("seq"), 0) FROM "CaptureSearch")) AS "tail"`,
      )
      .get() as { captures: number; projected: number; tail: number };
  } finally {
    db.close();
  }
};

async function waitFor<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("search projection tail (sqlite)", () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer({ provider: "sqlite" });
    api = new Api(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("captures acknowledged during a burst are found by searches that start after their ack, projected or not", async () => {
    const ep = await api.createEndpoint();
    const send = (i: number) =>
      fetch(`${server.url}/in/${ep.token}/burst`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ word: `tailword${i}x`, i, pad: "p".repeat(2000) }),
      });
    let sawTail = false;
    let checked = 0;
    // Waves of 200 concurrent captures: each wave's commits queue up behind each other (the tail forms).
    for (let wave = 0; wave < 8; wave++) {
      const ids = Array.from({ length: 200 }, (_, k) => wave * 200 + k);
      const acks = await Promise.all(ids.map(send));
      expect(acks.every((r) => r.status === 200)).toBe(true);
      if (counts(server).tail > 0) sawTail = true;
      // Acknowledged: a search must find them now. The newest of the wave by a bare word (FTS / LIKE / bytes)…
      const last = ids.at(-1)!;
      const page = await api.captures(ep.id, `?q=${encodeURIComponent(`tailword${last}x`)}&limit=5`);
      expect(page.captures.map((c: { path: string }) => c.path)).toEqual(["/burst"]);
      // …and every capture so far by a json field, counted.
      const count = await api.json("GET", `/api/endpoints/${ep.id}/captures/count?q=${encodeURIComponent("json.i:>=0 path:/burst")}`);
      expect(count.body).toMatchObject({ count: (wave + 1) * 200, complete: true });
      expect(count.body.indexing).toBeUndefined();
      checked++;
    }
    expect(checked).toBe(8);
    // The tail really formed (captures committed before their projection) at some point of the bursts.
    expect(sawTail).toBe(true);
    // And it drains: every capture gets its row.
    const done = await waitFor(
      () => counts(server),
      (c) => c.tail === 0 && c.projected === c.captures,
    );
    expect(done).toMatchObject({ tail: 0, projected: done.captures });
    const page = await api.captures(ep.id, `?q=${encodeURIComponent("tailword0x")}`);
    expect(page.captures).toHaveLength(1);
  }, 120_000);

  it("after a restart, captures left without their projection (above the highest projected) are projected", async () => {
    const first = await startServer({ provider: "sqlite" });
    let second: TestServer | undefined;
    try {
      const owner = new Api(first.url);
      const ep = await owner.createEndpoint();
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${first.url}/in/${ep.token}/r`, { method: "POST", body: `restartword${i}z` });
        expect(r.status).toBe(200);
      }
      const exited = new Promise((r) => first.child.once("exit", r));
      first.child.kill("SIGTERM");
      await exited;
      const db = new Database(`${first.dataDir}/hookscope.db`);
      const max = db.prepare(`SELECT max("seq") FROM "Capture"`).pluck().get() as number;
      // As a stop between a deferred commit and its projection leaves them: the newest three without rows.
      db.prepare(`DELETE FROM "CaptureSearch" WHERE "seq" > ?`).run(max - 3);
      db.close();
      expect(counts(first).tail).toBe(3);
      second = await startServer({ provider: "sqlite", env: { DATA_DIR: first.dataDir } });
      const again = new Api(second.url);
      again.cookie = owner.cookie;
      // Searchable at once (confirmed from the bytes), then projected.
      const page = await again.captures(ep.id, `?q=${encodeURIComponent("restartword4z")}`);
      expect(page.captures).toHaveLength(1);
      const done = await waitFor(
        () => counts(first),
        (c) => c.tail === 0,
      );
      expect(done).toMatchObject({ tail: 0, projected: done.captures });
    } finally {
      await second?.stop();
      await first.stop();
    }
  }, 120_000);
});
