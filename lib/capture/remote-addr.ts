import ipaddr from "ipaddr.js";
import type { IncomingMessage } from "node:http";

/** "::ffff:1.2.3.4" → "1.2.3.4"; anything unparsable is returned as given. */
export function normalizeAddress(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  }
  return parsed.toString();
}

/**
 * The sender's address: the socket peer, or, behind `trustedHops` reverse proxies, the
 * X-Forwarded-For entry those proxies appended for it. Entries a client wrote itself (further
 * left) are never trusted.
 */
export function remoteAddress(req: IncomingMessage, trustedHops: number): string {
  const peer = normalizeAddress(req.socket.remoteAddress ?? "");
  if (trustedHops === 0) return peer;
  const forwarded: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === "x-forwarded-for") {
      forwarded.push(
        ...req.rawHeaders[i + 1]!.split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      );
    }
  }
  const candidate = forwarded[forwarded.length - trustedHops];
  return candidate && ipaddr.isValid(candidate) ? normalizeAddress(candidate) : peer;
}
