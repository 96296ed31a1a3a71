// The address half of the SSRF guard (ssrf.ts): which IP ranges are refused, IPv4 embedded in IPv6,
// and the operator's allowed subnets (ALLOWED_FORWARD_SUBNETS).
import net from "node:net";
import ipaddr from "ipaddr.js";
import type { AddressRefusal, RangeName } from "./egress-error";

const DESCRIBE: Record<RangeName, string> = {
  metadata: "a cloud metadata address",
  loopback: "a loopback address",
  private: "a private address",
  link_local: "a link-local address",
  cgnat: "a shared (carrier-grade NAT) address",
  unique_local: "a unique-local address",
  multicast: "a multicast address",
  unspecified: "an unspecified address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
  invalid: "not a valid IP address",
};

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
const cidr = (s: string): Cidr => ipaddr.parseCIDR(s);

// Instance metadata services: AWS/GCP/Azure/OpenStack/DigitalOcean (169.254.169.254), AWS ECS
// task metadata and EKS pod identity (169.254.170.2, .23), Alibaba (100.100.100.200), Azure
// WireServer (168.63.129.16), AWS IPv6 IMDS and pod identity (fd00:ec2::254, ::23), GCP IPv6
// (fd20:ce::254). Refused even inside an allowed subnet.
const METADATA: Cidr[] = [
  "169.254.169.254/32",
  "169.254.170.2/32",
  "169.254.170.23/32",
  "100.100.100.200/32",
  "168.63.129.16/32",
  "fd00:ec2::254/128",
  "fd00:ec2::23/128",
  "fd20:ce::254/128",
].map(cidr);

/** Hostnames that name a metadata service; refused before any lookup. */
export const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
]);

// First match wins: specific entries before the broad ones that contain them.
const V4_RANGES: [Cidr, RangeName][] = [
  ["0.0.0.0/8", "unspecified"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "cgnat"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link_local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"], // IETF protocol assignments
  ["192.0.2.0/24", "reserved"], // TEST-NET-1
  ["192.88.99.0/24", "reserved"], // deprecated 6to4 relay anycast
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "reserved"], // benchmarking
  ["198.51.100.0/24", "reserved"], // TEST-NET-2
  ["203.0.113.0/24", "reserved"], // TEST-NET-3
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
].map(([c, n]) => [cidr(c as string), n as RangeName]);

const V6_RANGES: [Cidr, RangeName][] = [
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["64:ff9b:1::/48", "reserved"], // local-use NAT64: the embedding depends on the local prefix
  ["fc00::/7", "unique_local"],
  ["fe80::/10", "link_local"],
  ["fec0::/10", "reserved"], // deprecated site-local
  ["ff00::/8", "multicast"],
  ["2001:2::/48", "reserved"], // benchmarking
  ["2001:10::/28", "reserved"], // ORCHID
  ["2001:20::/28", "reserved"], // ORCHIDv2
  ["2001:db8::/32", "reserved"], // documentation
  ["3fff::/20", "reserved"], // documentation (RFC 9637)
].map(([c, n]) => [cidr(c as string), n as RangeName]);

const GLOBAL_UNICAST_V6 = cidr("2000::/3");

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/**
 * The IPv4 addresses an IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
 * (::a.b.c.d), NAT64 well-known prefix (64:ff9b::/96), 6to4 (2002:AABB:CCDD::/48) and Teredo
 * (2001::/32: the server, and the client obfuscated by bitwise NOT).
 */
export function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = addr.parts as [number, number, number, number, number, number, number, number];
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && p[5] === 0xffff) return [v4(p[6], p[7])];
  if (zero(0, 6) && !(p[6] === 0 && p[7] <= 1)) return [v4(p[6], p[7])];
  if (p[0] === 0x64 && p[1] === 0xff9b && zero(2, 6)) return [v4(p[6], p[7])];
  if (p[0] === 0x2002) return [v4(p[1], p[2])];
  if (p[0] === 0x2001 && p[1] === 0) return [v4(p[2], p[3]), v4(~p[6] & 0xffff, ~p[7] & 0xffff)];
  return [];
}

function inAny(addr: ipaddr.IPv4 | ipaddr.IPv6, list: readonly Cidr[]): boolean {
  return list.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

function classifyV4(addr: ipaddr.IPv4): RangeName | null {
  for (const [[net, bits], name] of V4_RANGES) if (addr.match(net, bits)) return name;
  return null;
}

function classifyV6(addr: ipaddr.IPv6): RangeName | null {
  for (const [[net, bits], name] of V6_RANGES) if (addr.match(net, bits)) return name;
  return null;
}

function parseStrict(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  // Node's isIP accepts only canonical forms (no "127.1", no octal), so what is checked is exactly
  // what a socket would connect to. Brackets from URL hostnames are tolerated.
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const kind = net.isIP(bare);
  if (kind === 4) return ipaddr.IPv4.parse(bare);
  if (kind === 6) {
    try {
      return ipaddr.IPv6.parse(bare);
    } catch {
      return null;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Allowed subnets (ALLOWED_FORWARD_SUBNETS)

export class SubnetListError extends Error {}

const parsedSubnets = new Map<string, Cidr>();

function subnet(entry: string): Cidr {
  let hit = parsedSubnets.get(entry);
  if (!hit) {
    hit = parseSubnet(entry);
    if (parsedSubnets.size > 1000) parsedSubnets.clear();
    parsedSubnets.set(entry, hit);
  }
  return hit;
}

function parseSubnet(entry: string): Cidr {
  const slash = entry.indexOf("/");
  const addrPart = slash < 0 ? entry : entry.slice(0, slash);
  const addr = net.isIP(addrPart) ? ipaddr.parse(addrPart) : null;
  if (!addr) throw new SubnetListError(`"${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8, 192.168.1.20, fd00::/8)`);
  const max = addr.kind() === "ipv4" ? 32 : 128;
  const bitsText = slash < 0 ? String(max) : entry.slice(slash + 1);
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= max)) throw new SubnetListError(`"${entry}" has an invalid prefix length (0-${max})`);
  return [addr, bits];
}

/**
 * "127.0.0.0/8, 10.0.0.0/8 fd00::/8" → ["127.0.0.0/8", "10.0.0.0/8", "fd00::/8"] (comma- or
 * space-separated; a bare address means that one host). Throws SubnetListError naming the first
 * bad entry. Allowing a subnet opens it to every user who can replay or forward.
 */
export function parseSubnets(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const entry of value.split(/[\s,]+/)) {
    if (!entry) continue;
    const [addr, bits] = parseSubnet(entry);
    out.push(`${addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString()}/${bits}`);
  }
  return out;
}

function isAllowed(addr: ipaddr.IPv4 | ipaddr.IPv6, allowedSubnets: readonly string[]): boolean {
  if (!allowedSubnets.length) return false;
  const list = allowedSubnets.map(subnet);
  if (inAny(addr, list)) return true;
  return addr.kind() === "ipv6" && embeddedIPv4(addr as ipaddr.IPv6).some((e) => inAny(e, list));
}

// ---------------------------------------------------------------------------------------------
// Address checks

export const refusal = (address: string, range: RangeName, detail?: string): AddressRefusal => ({
  code: "target_forbidden",
  address,
  range,
  message: detail ? `${address} ${detail}, ${DESCRIBE[range]}` : `${address} is ${DESCRIBE[range]}`,
});

/**
 * Null when a connection to `ip` is acceptable, else why not. `allowedSubnets` are CIDRs from
 * parseSubnets; an address in one passes unless it is a metadata address. Unparsable input is
 * refused (fail closed).
 */
export function checkAddress(ip: string, allowedSubnets: readonly string[] = []): AddressRefusal | null {
  const addr = parseStrict(ip);
  if (!addr) return refusal(ip, "invalid");
  const shown = addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();

  const embedded = addr.kind() === "ipv6" ? embeddedIPv4(addr as ipaddr.IPv6) : [];
  if (inAny(addr, METADATA)) return refusal(shown, "metadata");
  for (const e of embedded) if (inAny(e, METADATA)) return refusal(shown, "metadata", `embeds ${e.toString()}`);

  if (isAllowed(addr, allowedSubnets)) return null;

  if (addr.kind() === "ipv4") {
    const range = classifyV4(addr as ipaddr.IPv4);
    return range ? refusal(shown, range) : null;
  }
  const v6 = addr as ipaddr.IPv6;
  const direct = classifyV6(v6);
  if (direct) return refusal(shown, direct);
  for (const e of embedded) {
    const range = classifyV4(e);
    if (range) return refusal(shown, range, `embeds ${e.toString()}`);
  }
  if (embedded.length) return null;
  // Everything outside 2000::/3 is unassigned or special-purpose (IPv4-translated, discard, SRv6…).
  if (!v6.match(GLOBAL_UNICAST_V6[0], GLOBAL_UNICAST_V6[1])) return refusal(shown, "reserved");
  return null;
}
