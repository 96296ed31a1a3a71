// The live path's two roles: the door thread holds a LivePublisher (no subscribe, nothing that
// throws "not supported"), the main thread a LiveFeed (no publish); a subscription on the main
// side receives what the door side publishes, across a real MessageChannel.
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessBus, type LiveFeed, type LivePublisher, liveFeed, livePublisher } from "@/lib/live/bus";
import { DoorPublisher, type FromDoor, MirroredFeed, type ToDoor } from "@/lib/live/door-bridge";
import { liveRawOf, summaryOf } from "@/lib/live/event";
import type { CaptureSummary, NewCapture } from "@/lib/model/capture";

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function row(endpointId: string, body: string): NewCapture {
  return {
    id: `cap_${body}`,
    endpointId,
    receivedAt: 1_700_000_000_000,
    method: "POST",
    path: "/hook",
    query: "",
    httpVersion: "1.1",
    headers: [["Stripe-Signature", "t=1,v1=ab"]],
    body: Buffer.from(body),
    bodySize: body.length,
    bodySha256: null,
    contentType: "application/json",
    remoteAddr: "127.0.0.1",
    rejected: null,
    responseStatus: 200,
    durationMs: 0,
  };
}

/** Every method name an object answers to, its prototype chain included. */
function methods(o: object): string[] {
  const names = new Set<string>();
  for (let p = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== "constructor") names.add(n);
  }
  return [...names];
}

describe("live roles", () => {
  it("the door side is a publisher only: it has no subscribe, ready or subscriberCount", () => {
    const { port1 } = new MessageChannel();
    ports.push(port1);
    const door: LivePublisher = new DoorPublisher(port1);
    const names = methods(door);
    expect(names).toContain("publish");
    expect(names).toContain("hasSubscribers");
    for (const absent of ["subscribe", "ready", "subscriberCount", "watchedEndpoints"]) expect(names).not.toContain(absent);
    // @ts-expect-error a publisher has no subscribe (a compile error, not a throw at run time)
    expect(door.subscribe).toBeUndefined();
  });

  it("the main side is a feed only: it has no publish", () => {
    const feed: LiveFeed = new MirroredFeed();
    const names = methods(feed);
    for (const present of ["subscribe", "ready", "subscriberCount", "watchedEndpoints"]) expect(names).toContain(present);
    expect(names).not.toContain("publish");
    expect(names).not.toContain("hasSubscribers");
  });

  it("a subscription on the main side receives an event published through the bridge, only for its endpoint", async () => {
    const { port1: mainSide, port2: doorSide } = new MessageChannel();
    ports.push(mainSide, doorSide);
    const feed = new MirroredFeed();
    const door = new DoorPublisher(doorSide);
    doorSide.on("message", (msg: ToDoor) => door.handle(msg));
    mainSide.on("message", (msg: FromDoor) => {
      if ("events" in msg) feed.deliver(msg.events);
      else if ("ack" in msg) feed.acknowledged(msg);
    });
    feed.attach(mainSide);

    const got: CaptureSummary[] = [];
    feed.subscribe("ep_live", (c) => got.push(c));
    expect(feed.watchedEndpoints()).toEqual(["ep_live"]);
    await feed.ready("ep_live");
    expect(door.hasSubscribers("ep_live")).toBe(true);

    door.publish(summaryOf(row("ep_other", '{"n":0}'), 1));
    door.publish(summaryOf(row("ep_live", '{"n":1}'), 2));
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((c) => [c.endpointId, c.seq])).toEqual([["ep_live", 2]]);
    expect(Buffer.from(liveRawOf(got[0]!)!.body).toString()).toBe('{"n":1}');
  });

  it("without a thread of its own, one in-process bus is both the feed and the publisher", () => {
    expect(liveFeed()).toBe(livePublisher());
    expect(liveFeed()).toBeInstanceOf(InProcessBus);
    const got: number[] = [];
    const off = liveFeed().subscribe("ep_one", (c) => got.push(c.seq));
    expect(livePublisher().hasSubscribers("ep_one")).toBe(true);
    livePublisher().publish(summaryOf(row("ep_one", "x"), 5));
    off();
    expect(got).toEqual([5]);
  });
});
