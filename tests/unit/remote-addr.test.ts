import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { normalizeAddress, remoteAddress } from "@/lib/capture/remote-addr";

function fakeReq(remote: string | undefined, rawHeaders: string[] = []): IncomingMessage {
  return { socket: { remoteAddress: remote }, rawHeaders } as unknown as IncomingMessage;
}

describe("normalizeAddress", () => {
  it.each([
    ["::ffff:1.2.3.4", "1.2.3.4"],
    ["::FFFF:203.0.113.9", "203.0.113.9"],
    ["1.2.3.4", "1.2.3.4"],
    ["::1", "::1"],
    ["2001:DB8::1", "2001:db8::1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["not-an-ip", "not-an-ip"],
    ["1.2.3.4:80", "1.2.3.4:80"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeAddress(input)).toBe(expected);
  });
});

describe("remoteAddress", () => {
  const PEER = "::ffff:10.0.0.1";
  const PEER_NORMAL = "10.0.0.1";

  it.each([
    { name: "hops 0 returns the normalised socket peer", hops: 0, headers: [], expected: PEER_NORMAL },
    {
      name: "hops 0 ignores X-Forwarded-For",
      hops: 0,
      headers: ["X-Forwarded-For", "203.0.113.7"],
      expected: PEER_NORMAL,
    },
    { name: "hops 1 without X-Forwarded-For falls back to the peer", hops: 1, headers: ["Host", "x"], expected: PEER_NORMAL },
    {
      name: "hops 1 takes the right-most entry",
      hops: 1,
      headers: ["X-Forwarded-For", "198.51.100.1, 203.0.113.7"],
      expected: "203.0.113.7",
    },
    {
      name: "hops 2 takes the second entry from the right",
      hops: 2,
      headers: ["X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.0.0.2"],
      expected: "203.0.113.7",
    },
    {
      name: "hops 1 never uses a spoofed left-most entry",
      hops: 1,
      headers: ["X-Forwarded-For", "6.6.6.6, 6.6.6.7, 203.0.113.7"],
      expected: "203.0.113.7",
    },
    {
      name: "a client's own X-Forwarded-For line before the proxy's line is not trusted with hops 1",
      hops: 1,
      headers: ["X-Forwarded-For", "6.6.6.6", "Host", "example.com", "X-Forwarded-For", "203.0.113.7"],
      expected: "203.0.113.7",
    },
    {
      name: "several header lines are combined in order (hops 2)",
      hops: 2,
      headers: ["X-Forwarded-For", "1.1.1.1, 2.2.2.2", "Accept", "*/*", "x-forwarded-for", "3.3.3.3"],
      expected: "2.2.2.2",
    },
    {
      name: "several header lines are combined in order (hops 3)",
      hops: 3,
      headers: ["X-Forwarded-For", "1.1.1.1, 2.2.2.2", "x-forwarded-for", "3.3.3.3"],
      expected: "1.1.1.1",
    },
    {
      name: "header name is matched case-insensitively",
      hops: 1,
      headers: ["X-FORWARDED-FOR", "203.0.113.7"],
      expected: "203.0.113.7",
    },
    {
      name: "more hops than entries falls back to the peer",
      hops: 2,
      headers: ["X-Forwarded-For", "203.0.113.7"],
      expected: PEER_NORMAL,
    },
    {
      name: "empty entries are skipped",
      hops: 2,
      headers: ["X-Forwarded-For", "198.51.100.1,, 203.0.113.7 ,"],
      expected: "198.51.100.1",
    },
    {
      name: "a garbage right-most entry falls back to the peer",
      hops: 1,
      headers: ["X-Forwarded-For", "198.51.100.1, unknown"],
      expected: PEER_NORMAL,
    },
    {
      name: "a garbage entry at the trusted position falls back to the peer even if others are valid",
      hops: 2,
      headers: ["X-Forwarded-For", "198.51.100.1, <script>, 203.0.113.7"],
      expected: PEER_NORMAL,
    },
    {
      name: "a forwarded IPv4-mapped IPv6 address is normalised",
      hops: 1,
      headers: ["X-Forwarded-For", "::ffff:203.0.113.9"],
      expected: "203.0.113.9",
    },
    {
      name: "a forwarded IPv6 address is normalised",
      hops: 1,
      headers: ["X-Forwarded-For", "2001:DB8:0::5"],
      expected: "2001:db8::5",
    },
  ])("$name", ({ hops, headers, expected }) => {
    expect(remoteAddress(fakeReq(PEER, headers), hops)).toBe(expected);
  });

  it.each([0, 1])("a socket without an address gives '' (hops %i)", (hops) => {
    expect(remoteAddress(fakeReq(undefined), hops)).toBe("");
  });
});
