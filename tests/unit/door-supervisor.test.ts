// The door thread's supervisor with real worker threads (a stand-in door that can crash): a door
// that exits after it listened is started again and gets messages; one that cannot start again is
// reported once; stopping waits for the door to drain and restarts nothing.
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type { FromDoor } from "@/lib/live/door-bridge";
import { DoorSupervisor } from "@/lib/door/supervisor";

const standIn = new URL("../fixtures/door-stand-in.mjs", import.meta.url);
const live: Worker[] = [];
const doors: DoorSupervisor[] = [];

function supervisor(modes: string[] = []) {
  const started: Worker[] = [];
  const messages: FromDoor[] = [];
  const failures: Error[] = [];
  const door = new DoorSupervisor({
    create: () => {
      const w = new Worker(standIn, { workerData: { mode: modes.shift() ?? "ok" } });
      live.push(w);
      return w;
    },
    onStart: (w) => started.push(w),
    onMessage: (m) => messages.push(m),
    onRestartFailed: (err) => failures.push(err),
    restartDelayMs: 20,
  });
  doors.push(door);
  return { door, started, messages, failures };
}

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

afterEach(async () => {
  // Stopped first, so the threads ended below are not started again.
  await Promise.all(doors.splice(0).map((d) => d.stop(100)));
  await Promise.all(live.splice(0).map((w) => w.terminate()));
});

describe("DoorSupervisor", () => {
  it("resolves with the door's listening address and passes its other messages on", async () => {
    const { door, started, messages } = supervisor();
    const listening = await door.start();
    expect(started).toHaveLength(1);
    expect(listening).toEqual({ port: 40000 + started[0]!.threadId, capturePort: null });
    door.post({ forget: ["tok"] });
    await until(() => messages.length === 1);
    expect(messages[0]).toEqual({ ack: started[0]!.threadId, watch: "tok" });
  });

  it("starts a door that crashed again, and messages reach the new one", async () => {
    const { door, started, messages, failures } = supervisor();
    await door.start();
    door.post({ crash: true } as never);
    await until(() => started.length === 2);
    const second = started[1]!;
    expect(second.threadId).not.toBe(started[0]!.threadId);
    // The new thread listens, and what the server posts now goes to it.
    await until(() => {
      door.post({ forget: ["again"] });
      return messages.some((m) => "ack" in m && m.ack === second.threadId);
    });
    expect(failures).toEqual([]);
    expect(door.starts).toBe(2);
  });

  it("reports a door that cannot start again, once, and stops trying", async () => {
    const { door, started, failures } = supervisor(["ok", "exit-early"]);
    await door.start();
    door.post({ crash: true } as never);
    await until(() => failures.length === 1);
    expect(failures[0]!.message).toMatch(/exited \(code 3\) before it listened/);
    await new Promise((r) => setTimeout(r, 200));
    expect(started).toHaveLength(2);
    expect(failures).toHaveLength(1);
  });

  it("rejects when the first door exits before it listens", async () => {
    const { door } = supervisor(["exit-early"]);
    await expect(door.start()).rejects.toThrow(/before it listened/);
  });

  it("stop waits for the door to drain and restarts nothing after it exits", async () => {
    const { door, started } = supervisor();
    await door.start();
    const t0 = Date.now();
    await door.stop(5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40); // the stand-in says "stopped" after 50 ms
    await started[0]!.terminate();
    await new Promise((r) => setTimeout(r, 100));
    expect(started).toHaveLength(1);
  });

  it("stop gives up after its bound when the door never answers", async () => {
    const { door } = supervisor();
    await door.start();
    // A door whose answer is never heard (the supervisor's message listener removed).
    const t0 = Date.now();
    live[0]!.removeAllListeners("message");
    await door.stop(150);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });
});
