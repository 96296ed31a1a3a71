// What the SSRF guard refuses (address.ts, ssrf.ts) and how the egress client (lib/replay/send.ts) fails.

export type RangeName =
  | "metadata"
  | "loopback"
  | "private"
  | "link_local"
  | "cgnat"
  | "unique_local"
  | "multicast"
  | "unspecified"
  | "broadcast"
  | "reserved"
  | "invalid";

export interface AddressRefusal {
  code: "target_forbidden";
  /** The concrete address refused, as written by the resolver or the URL. */
  address: string;
  range: RangeName;
  /** For people: "127.0.0.1 is a loopback address". */
  message: string;
}

export type EgressErrorCode =
  | "invalid_target"
  | "target_forbidden"
  | "dns_failed"
  | "connect_timeout"
  | "timeout"
  | "connection_refused"
  | "connection_reset"
  | "unreachable"
  | "tls_failed"
  | "too_many_redirects"
  | "invalid_redirect"
  | "invalid_request"
  | "aborted"
  | "network_error";

/** A failure of the egress client, matched by `code` (never by message). */
export class EgressError extends Error {
  constructor(
    readonly code: EgressErrorCode,
    message: string,
    readonly refusal?: AddressRefusal,
  ) {
    super(message);
    this.name = "EgressError";
  }
}
