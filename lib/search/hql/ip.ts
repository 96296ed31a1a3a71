// `ip:` values and membership: an address or CIDR, IPv4 or IPv6, normalised to its network
// ("203.0.113.5/24" → "203.0.113.0/24", a bare address → /32 or /128, IPv6 in RFC 5952 form). An
// IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the IPv4 address, both in the query and in
// the capture, so `ip:203.0.113.0/24` finds a capture whose socket reported ::ffff:203.0.113.9.
import ipaddr from "ipaddr.js";

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

function parseAddress(text: string): Addr | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(":") || !ipaddr.IPv6.isValid(text)) return null;
  const v6 = ipaddr.IPv6.parse(text);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/** The normalised CIDR for a written `ip:` value, or null when it is not an address or CIDR. */
export function normaliseCidr(text: string): string | null {
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  if (prefixText !== null && !/^\d{1,3}$/.test(prefixText)) return null;
  const written = prefixText === null ? null : Number(prefixText);
  let addr = parseAddress(addrText);
  if (!addr) return null;
  let prefix = written ?? (addr.kind() === "ipv4" ? 32 : 128);
  // A mapped address with a v6 prefix: the prefix counts the 96 mapping bits.
  if (addr.kind() === "ipv4" && addrText.includes(":") && written !== null) {
    if (written < 96) {
      addr = ipaddr.IPv6.parse(addrText);
    } else prefix = written - 96;
  }
  const bits = addr.kind() === "ipv4" ? 32 : 128;
  if (prefix > bits) return null;
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  const net = ipaddr.fromByteArray(bytes);
  return `${net.kind() === "ipv6" ? (net as ipaddr.IPv6).toRFC5952String() : net.toString()}/${prefix}`;
}

const parsedCidrs = new Map<string, [Addr, number]>();
// Captures repeat addresses (one sender, many hooks): parsing dominates `ip:` evaluation otherwise.
const parsedAddresses = new Map<string, Addr | null>();

function captureAddress(ip: string): Addr | null {
  let addr = parsedAddresses.get(ip);
  if (addr === undefined) {
    const zone = ip.indexOf("%");
    addr = parseAddress(zone < 0 ? ip : ip.slice(0, zone));
    if (parsedAddresses.size >= 1024) parsedAddresses.clear();
    parsedAddresses.set(ip, addr);
  }
  return addr;
}

/** Whether the capture's address lies in the (normalised) CIDR. Unparseable addresses never match. */
export function ipInCidr(ip: string, cidr: string): boolean {
  let range = parsedCidrs.get(cidr);
  if (!range) {
    try {
      range = ipaddr.parseCIDR(cidr);
    } catch {
      return false;
    }
    if (parsedCidrs.size > 256) parsedCidrs.clear();
    parsedCidrs.set(cidr, range);
  }
  let addr = captureAddress(ip);
  if (!addr) return false;
  if (addr.kind() !== range[0].kind()) {
    if (addr.kind() === "ipv4") addr = (addr as ipaddr.IPv4).toIPv4MappedAddress();
    else return false;
  }
  return addr.match(range);
}
