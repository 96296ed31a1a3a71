// The SSRF guard for every server-side request Hookscope makes (replays, forwards). Users supply
// the target URLs, so an allow-list is impossible: this is a deny-list over the concrete IP
// addresses a connection will use, applied at connect time (see security.md §2.1).
//
// - Only http and https; no userinfo (it would be sent as credentials the user may not expect).
// - Hostnames are resolved by `createGuardedLookup`, which node:http calls when it connects: every
//   resolved address is checked and the socket connects only to those checked addresses, so a
//   resolver that answers differently the second time (DNS rebinding) cannot swap one in.
// - IP-literal hosts skip node's lookup, so `assertTargetAddress` checks them before connecting.
// - IPv4 written in decimal, octal or hex (http://2130706433/, http://0x7f.1/) is already
//   canonicalised by the WHATWG URL parser; IPv4 embedded in IPv6 (mapped, compatible, NAT64,
//   6to4, Teredo) is unpacked and checked as IPv4.
// - Operators open private ranges with ALLOWED_FORWARD_SUBNETS (parseSubnets). Cloud metadata
//   addresses stay refused whatever is allowed.
import dns from "node:dns";
import net from "node:net";
import { checkAddress, METADATA_HOSTS, refusal } from "./address";
import { EgressError } from "./egress-error";

// ---------------------------------------------------------------------------------------------
// Target URLs

export interface GuardPolicy {
  /** CIDRs from parseSubnets (ALLOWED_FORWARD_SUBNETS). */
  allowedSubnets: readonly string[];
  /** Ports a target may use; null or absent: any port. */
  allowedPorts?: readonly number[] | null;
}

/** The URL's host without IPv6 brackets and without a trailing dot. */
export function bareHostname(url: URL): string {
  const h = url.hostname;
  const bare = h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
  return bare.endsWith(".") ? bare.slice(0, -1) : bare;
}

export function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/**
 * Parses and vets a target URL without any network access: http/https only, no userinfo, a host,
 * an allowed port, not a metadata hostname, and (for IP literals) an allowed address. Throws
 * EgressError "invalid_target" or "target_forbidden". Hostnames are checked later, at connect
 * time, by the guarded lookup.
 */
export function validateTargetUrl(input: string | URL, policy?: GuardPolicy): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new EgressError("invalid_target", "The target is not a valid absolute URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EgressError("invalid_target", `Only http and https targets are allowed, not ${url.protocol.slice(0, -1)}.`);
  }
  if (url.username || url.password) {
    throw new EgressError("invalid_target", "The target URL must not contain a user name or password; send credentials as a header.");
  }
  const host = bareHostname(url);
  if (!host) throw new EgressError("invalid_target", "The target URL has no host.");
  if (!policy) return url;

  const port = effectivePort(url);
  if (policy.allowedPorts && !policy.allowedPorts.includes(port)) {
    throw new EgressError("target_forbidden", `Port ${port} is not allowed for targets (allowed: ${policy.allowedPorts.join(", ")}).`);
  }
  if (METADATA_HOSTS.has(host)) {
    throw new EgressError("target_forbidden", `${host} is a cloud metadata host name.`, refusal(host, "metadata"));
  }
  if (net.isIP(host)) {
    const refused = checkAddress(host, policy.allowedSubnets);
    if (refused) throw new EgressError("target_forbidden", `${refused.message}.`, refused);
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// Connect-time lookup

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves every address of a name (A and AAAA). Injectable so tests can play a rebinding DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const all = await dns.promises.lookup(hostname, { all: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/**
 * Resolves `hostname` and checks every address; throws EgressError "dns_failed" or
 * "target_forbidden" (one refused address refuses the name). Returns the vetted addresses.
 */
export async function resolveChecked(
  hostname: string,
  policy: GuardPolicy,
  resolver: Resolver = systemResolver,
): Promise<ResolvedAddress[]> {
  const host = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  if (METADATA_HOSTS.has(host.toLowerCase())) {
    throw new EgressError("target_forbidden", `${host} is a cloud metadata host name.`, refusal(host, "metadata"));
  }
  const literal = net.isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolver(host);
    } catch {
      throw new EgressError("dns_failed", `Could not resolve ${host}.`);
    }
    if (!addresses.length) throw new EgressError("dns_failed", `${host} has no addresses.`);
  }
  for (const a of addresses) {
    const refused = checkAddress(a.address, policy.allowedSubnets);
    if (refused) {
      const via = literal ? "" : ` (${host} resolves to it)`;
      throw new EgressError("target_forbidden", `${refused.message}${via}.`, refused);
    }
  }
  return addresses;
}

/**
 * A `lookup` for node:http(s)/net. Node calls it when it connects, and connects only to what it
 * returns, so the checked addresses are the ones used: there is no window between check and use.
 * Each call resolves afresh; every answer must pass.
 */
export function createGuardedLookup(policy: GuardPolicy, resolver: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, policy, resolver).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (!wanted.length) {
          callback(new EgressError("dns_failed", `${hostname} has no IPv${options.family} address.`) as NodeJS.ErrnoException, "", 0);
        } else if (options.all) {
          callback(
            null,
            wanted.map((a) => ({ address: a.address, family: a.family })),
          );
        } else {
          const first = wanted[0] as ResolvedAddress;
          callback(null, first.address, first.family);
        }
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, "", 0),
    );
  };
}

/**
 * Throws unless a request to `url` would be allowed: the URL checks plus resolving and checking
 * every address now. A pre-flight for a quick 422; the connection is still checked again when it
 * is made, which is what actually protects against rebinding.
 */
export async function assertTargetAllowed(input: string | URL, policy: GuardPolicy, resolver: Resolver = systemResolver): Promise<URL> {
  const url = validateTargetUrl(input, policy);
  await resolveChecked(bareHostname(url), policy, resolver);
  return url;
}
