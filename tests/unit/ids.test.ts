import { describe, expect, it } from "vitest";
import { newCaptureId, newCaptureToken, newEndpointId, newOwnerKey, randomToken } from "@/lib/runtime/ids";

const B64URL = "[A-Za-z0-9_-]";

describe("ids", () => {
  it("newCaptureToken is 24 base64url characters (144 bits, at least 128)", () => {
    for (let i = 0; i < 500; i++) {
      const t = newCaptureToken();
      expect(t).toMatch(new RegExp(`^${B64URL}{24}$`));
      expect(Buffer.from(t, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it("10,000 capture tokens are all distinct (across many refills of the random pool)", () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 10_000; i++) tokens.add(newCaptureToken());
    expect(tokens.size).toBe(10_000);
  });

  it("tokens interleaved with other ids never share random bytes", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      for (const id of [newCaptureToken(), newEndpointId().slice(3), newCaptureId().slice(13), newOwnerKey().slice(4)]) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
  });

  it.each([
    { name: "newEndpointId", make: newEndpointId, pattern: new RegExp(`^ep_${B64URL}{16}$`) },
    { name: "newCaptureId", make: newCaptureId, pattern: new RegExp(`^cap_[0-9a-z]{9}${B64URL}{16}$`) },
    { name: "newOwnerKey", make: newOwnerKey, pattern: new RegExp(`^own_${B64URL}{24}$`) },
  ])("$name has its prefix and length", ({ make, pattern }) => {
    const a = make();
    const b = make();
    expect(a).toMatch(pattern);
    expect(b).toMatch(pattern);
    expect(a).not.toBe(b);
  });

  it.each([
    [1, 2],
    [16, 22],
    [256, 342],
    [257, 343],
    [1024, 1366],
  ])("randomToken(%i) is %i base64url characters", (bytes, chars) => {
    const t = randomToken(bytes);
    expect(t).toMatch(new RegExp(`^${B64URL}{${chars}}$`));
    expect(Buffer.from(t, "base64url").length).toBe(bytes);
  });
});

describe("capture ids", () => {
  it("sort by creation time, so the id index grows at its end", async () => {
    const first = newCaptureId();
    await new Promise((r) => setTimeout(r, 5));
    const second = newCaptureId();
    expect(first < second).toBe(true);
  });

  it("carry the current time in base 36 and stay distinct when many are minted in one millisecond", () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => newCaptureId());
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^cap_[0-9a-z]{9}[A-Za-z0-9_-]{16}$/);
      const ms = parseInt(id.slice(4, 13), 36);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
  });
});
