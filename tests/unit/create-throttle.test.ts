import { beforeEach, describe, expect, it } from "vitest";
import { resetEndpointCreations, takeEndpointCreation } from "@/lib/endpoints/create-throttle";

const limit = { limit: 3, windowMs: 60_000 };

describe("endpoint creation throttle (GCRA per address)", () => {
  beforeEach(() => resetEndpointCreations());

  it("allows a burst of `limit`, then refuses with the seconds until one more is allowed", () => {
    const t0 = 1_000_000;
    expect([0, 1, 2].map(() => takeEndpointCreation("10.0.0.1", limit, t0))).toEqual([0, 0, 0]);
    // One creation frees up every window/limit = 20 s.
    expect(takeEndpointCreation("10.0.0.1", limit, t0)).toBe(20);
    expect(takeEndpointCreation("10.0.0.1", limit, t0 + 19_000)).toBe(1);
    expect(takeEndpointCreation("10.0.0.1", limit, t0 + 20_000)).toBe(0);
    expect(takeEndpointCreation("10.0.0.1", limit, t0 + 20_000)).toBe(20);
  });

  it("counts each address on its own", () => {
    for (let i = 0; i < 3; i++) takeEndpointCreation("10.0.0.1", limit, 0);
    expect(takeEndpointCreation("10.0.0.1", limit, 0)).toBeGreaterThan(0);
    expect(takeEndpointCreation("10.0.0.2", limit, 0)).toBe(0);
  });

  it("gives the whole allowance back after a quiet window", () => {
    for (let i = 0; i < 3; i++) takeEndpointCreation("10.0.0.1", limit, 0);
    expect([0, 1, 2].map(() => takeEndpointCreation("10.0.0.1", limit, 60_000))).toEqual([0, 0, 0]);
    expect(takeEndpointCreation("10.0.0.1", limit, 60_000)).toBe(20);
  });

  it("does not count refused attempts, and limit 0 or no address is unlimited", () => {
    for (let i = 0; i < 3; i++) takeEndpointCreation("a", limit, 0);
    for (let i = 0; i < 50; i++) takeEndpointCreation("a", limit, 0);
    expect(takeEndpointCreation("a", limit, 20_000)).toBe(0);
    for (let i = 0; i < 1000; i++) expect(takeEndpointCreation("b", { limit: 0, windowMs: 1000 }, 0)).toBe(0);
    for (let i = 0; i < 1000; i++) expect(takeEndpointCreation(null, limit, 0)).toBe(0);
  });
});
