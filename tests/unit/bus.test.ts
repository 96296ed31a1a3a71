import { describe, expect, it } from "vitest";
import type { CaptureSummary } from "@/lib/model/capture";
import { InProcessBus } from "@/lib/live/bus";

function summary(endpointId: string, seq: number): CaptureSummary {
  return {
    id: `cap_${endpointId}_${seq}`,
    endpointId,
    seq,
    method: "POST",
    path: "",
    query: "",
    contentType: null,
    bodySize: 0,
    remoteAddr: "127.0.0.1",
    receivedAt: 0,
    rejected: null,
    response: { status: 200 },
  };
}

describe("InProcessBus (both roles in one process)", () => {
  it.each([
    { publishTo: "ep_a", a: 1, b: 0 },
    { publishTo: "ep_b", a: 0, b: 1 },
    { publishTo: "ep_other", a: 0, b: 0 },
  ])("a capture for $publishTo reaches only that endpoint's subscribers", ({ publishTo, a, b }) => {
    const bus = new InProcessBus();
    const gotA: CaptureSummary[] = [];
    const gotB: CaptureSummary[] = [];
    bus.subscribe("ep_a", (c) => gotA.push(c));
    bus.subscribe("ep_b", (c) => gotB.push(c));
    const c = summary(publishTo, 1);
    bus.publish(c);
    expect(gotA).toHaveLength(a);
    expect(gotB).toHaveLength(b);
    for (const got of [...gotA, ...gotB]) expect(got).toBe(c);
  });

  it("delivers to every subscriber of the endpoint, in publish order", () => {
    const bus = new InProcessBus();
    const one: number[] = [];
    const two: number[] = [];
    bus.subscribe("ep", (c) => one.push(c.seq));
    bus.subscribe("ep", (c) => two.push(c.seq));
    expect(bus.subscriberCount("ep")).toBe(2);
    for (const seq of [1, 2, 3]) bus.publish(summary("ep", seq));
    expect(one).toEqual([1, 2, 3]);
    expect(two).toEqual([1, 2, 3]);
  });

  it("hasSubscribers follows subscribe and unsubscribe (the door builds no event without one)", () => {
    const bus = new InProcessBus();
    expect(bus.hasSubscribers("ep")).toBe(false);
    const offOne = bus.subscribe("ep", () => {});
    const offTwo = bus.subscribe("ep", () => {});
    expect(bus.hasSubscribers("ep")).toBe(true);
    expect(bus.hasSubscribers("ep_other")).toBe(false);
    offOne();
    expect(bus.hasSubscribers("ep")).toBe(true);
    offTwo();
    expect(bus.hasSubscribers("ep")).toBe(false);
  });

  it("unsubscribe stops delivery and the count drops to 0", () => {
    const bus = new InProcessBus();
    const got: number[] = [];
    const other: number[] = [];
    const off = bus.subscribe("ep", (c) => got.push(c.seq));
    const offOther = bus.subscribe("ep", (c) => other.push(c.seq));
    bus.publish(summary("ep", 1));
    off();
    expect(bus.subscriberCount("ep")).toBe(1);
    bus.publish(summary("ep", 2));
    offOther();
    expect(bus.subscriberCount("ep")).toBe(0);
    bus.publish(summary("ep", 3));
    expect(got).toEqual([1]);
    expect(other).toEqual([1, 2]);
  });

  it("a stale unsubscribe (called twice, after re-subscribing) does not remove the new subscriber", () => {
    const bus = new InProcessBus();
    const off = bus.subscribe("ep", () => {});
    off();
    const got: number[] = [];
    bus.subscribe("ep", (c) => got.push(c.seq));
    off();
    expect(bus.subscriberCount("ep")).toBe(1);
    bus.publish(summary("ep", 7));
    expect(got).toEqual([7]);
  });

  it.each([0, 1, 2])("a throwing listener at position %i does not stop the others", (throwingAt) => {
    const bus = new InProcessBus();
    const got: number[] = [];
    for (let i = 0; i < 3; i++) {
      bus.subscribe("ep", (c) => {
        if (i === throwingAt) throw new Error("broken subscriber");
        got.push(i * 100 + c.seq);
      });
    }
    expect(() => bus.publish(summary("ep", 1))).not.toThrow();
    expect(got).toEqual([0, 1, 2].filter((i) => i !== throwingAt).map((i) => i * 100 + 1));
  });

  it("subscriberCount is 0 for an endpoint nobody subscribed to", () => {
    expect(new InProcessBus().subscriberCount("ep_none")).toBe(0);
  });
});
