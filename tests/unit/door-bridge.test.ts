// The bridge between the main thread's live feed and the door thread, over a real MessageChannel (the
// same transport a worker's parentPort is).
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { DoorPublisher, MirroredFeed, type FromDoor, type ToDoor } from "@/lib/live/door-bridge";
import { liveRawOf, summaryOf } from "@/lib/live/event";
import type { CaptureSummary, NewCapture } from "@/lib/model/capture";

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/** A main-side bus and a door-side bus joined by a channel, wired as server.ts and door-thread.ts do. */
function joined() {
  const { port1: mainSide, port2: doorSide } = new MessageChannel();
  ports.push(mainSide, doorSide);
  const main = new MirroredFeed();
  const door = new DoorPublisher(doorSide);
  const toDoor: ToDoor[] = [];
  doorSide.on("message", (msg: ToDoor) => {
    toDoor.push(msg);
    door.handle(msg);
  });
  mainSide.on("message", (msg: FromDoor) => {
    if ("events" in msg) main.deliver(msg.events);
    else if ("ack" in msg) main.acknowledged(msg);
  });
  main.attach(mainSide);
  return { main, door, toDoor };
}

function row(endpointId: string, body: string): NewCapture {
  return {
    id: `cap_${body}`,
    endpointId,
    receivedAt: 1_700_000_000_000,
    method: "POST",
    path: "/x",
    query: "a=1",
    httpVersion: "1.1",
    headers: [
      ["X-Dup", "1"],
      ["x-dup", "2"],
    ],
    body: Buffer.from(body),
    bodySize: body.length,
    bodySha256: null,
    contentType: "text/plain",
    remoteAddr: "127.0.0.1",
    rejected: null,
    responseStatus: 200,
    durationMs: 0,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe("door bridge", () => {
  it("the door builds events only for endpoints the main thread watches, and only once it has seen the watch", async () => {
    const { main, door } = joined();
    expect(door.hasSubscribers("ep_a")).toBe(false);
    const got: CaptureSummary[] = [];
    const unsubscribe = main.subscribe("ep_a", (c) => got.push(c));
    let ready = false;
    const whenReady = main.ready("ep_a").then(() => (ready = true));
    expect(ready).toBe(false);
    await whenReady;
    // ready() resolves only after the door acknowledged: it knows the endpoint is watched.
    expect(door.hasSubscribers("ep_a")).toBe(true);
    expect(door.hasSubscribers("ep_b")).toBe(false);

    door.publish(summaryOf(row("ep_a", "one"), 7));
    door.publish(summaryOf(row("ep_b", "unwatched"), 8));
    await settle();
    expect(got.map((c) => [c.seq, c.id])).toEqual([[7, "cap_one"]]);

    unsubscribe();
    await settle();
    expect(door.hasSubscribers("ep_a")).toBe(false);
    door.publish(summaryOf(row("ep_a", "after"), 9));
    await settle();
    expect(got).toHaveLength(1);
  });

  it("live events arrive with their raw headers and exact body bytes attached again", async () => {
    const { main, door } = joined();
    const got: CaptureSummary[] = [];
    main.subscribe("ep_a", (c) => got.push(c));
    await main.ready("ep_a");
    const bytes = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0a]);
    door.publish(summaryOf({ ...row("ep_a", "bin"), body: bytes, bodySize: bytes.length }, 1));
    await settle();
    const raw = liveRawOf(got[0]!);
    expect(raw?.headers).toEqual([
      ["X-Dup", "1"],
      ["x-dup", "2"],
    ]);
    expect(Buffer.isBuffer(raw?.body)).toBe(true);
    expect(Buffer.compare(raw!.body, bytes)).toBe(0);
    // The raw parts stay out of the serialised event.
    expect(JSON.stringify(got[0])).not.toContain("X-Dup");
  });

  it("a committed group's events cross in one message, in order", async () => {
    const { main, door } = joined();
    const messages: number[] = [];
    const got: number[] = [];
    main.subscribe("ep_a", (c) => got.push(c.seq));
    await main.ready("ep_a");
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    // Count the messages the door sends for one synchronous burst of publishes.
    const counting = new DoorPublisher(port1);
    counting.handle({ watch: "ep_a", ack: 99 });
    port2.on("message", (m: FromDoor) => "events" in m && messages.push(m.events.length));
    for (let seq = 1; seq <= 5; seq++) {
      counting.publish(summaryOf(row("ep_a", `g${seq}`), seq));
      door.publish(summaryOf(row("ep_a", `g${seq}`), seq));
    }
    await settle();
    expect(messages).toEqual([5]);
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it("a restarted door is told every endpoint still watched", async () => {
    const { main } = joined();
    main.subscribe("ep_a", () => {});
    main.subscribe("ep_b", () => {});
    await Promise.all([main.ready("ep_a"), main.ready("ep_b")]);
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const door = new DoorPublisher(port2);
    port2.on("message", (msg: ToDoor) => door.handle(msg));
    port1.on("message", (msg: FromDoor) => "ack" in msg && main.acknowledged(msg));
    main.attach(port1);
    await Promise.all([main.ready("ep_a"), main.ready("ep_b")]);
    expect(door.hasSubscribers("ep_a") && door.hasSubscribers("ep_b")).toBe(true);
  });
});
