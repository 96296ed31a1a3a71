// The header list a replay sends: the captured pairs in wire order, original case and
// duplicates, minus what belongs to the hop it arrived on, with Host and Content-Length set for
// the new target and the exact body.
import type { HeaderPairs } from "../model/capture";
import { EgressError } from "../net/egress-error";

// RFC 9110 §7.6.1 connection-specific fields, plus the proxy credentials of the sender's hop
// (RFC 2616 §13.5.1): forwarding them would hand one hop's proxy password to another host.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "proxy-authenticate",
  "proxy-authorization",
]);

/** Drops hop-by-hop headers and every header named in a Connection header; keeps the rest in order. */
export function dropHopByHop(headers: HeaderPairs): HeaderPairs {
  const listed = new Set<string>();
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "connection") continue;
    for (const token of value.split(",")) {
      const t = token.trim().toLowerCase();
      if (t) listed.add(t);
    }
  }
  return headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return !HOP_BY_HOP.has(lower) && !listed.has(lower);
  });
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// What Node (and HTTP/1.1) accepts in a value: tab, visible ASCII, and obs-text bytes 0x80-0xFF
// (stored latin1, one character per byte). CR, LF and NUL can never be sent.
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function isHttpToken(s: string): boolean {
  return TOKEN.test(s);
}

/** Throws EgressError "invalid_request" naming the first header that cannot be sent. */
export function assertSendableHeaders(headers: HeaderPairs): void {
  headers.forEach(([name, value], i) => {
    if (!TOKEN.test(name)) throw new EgressError("invalid_request", `Header ${i + 1} has an invalid name ${JSON.stringify(name)}.`);
    if (!VALUE.test(value)) {
      throw new EgressError("invalid_request", `Header ${name} has a character that cannot be sent (CR, LF, NUL or above U+00FF).`);
    }
  });
}

// Methods Node sends without a body (and so without framing) when none is given; any other method
// with an empty body gets an explicit Content-Length: 0 rather than Node's chunked default.
const NO_BODY_BY_DEFAULT = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

/**
 * The list to put on the wire: hop-by-hop headers dropped, Host replaced in place (first
 * occurrence; others removed) with the target's host, Content-Length replaced in place with the
 * exact body length (appended when there was none and a length is needed). Everything else keeps
 * its position, case and duplicates.
 */
export function outgoingHeaders(headers: HeaderPairs, target: URL, method: string, bodyLength: number): HeaderPairs {
  assertSendableHeaders(headers);
  const out: HeaderPairs = [];
  let hostDone = false;
  let lengthDone = false;
  for (const pair of dropHopByHop(headers)) {
    const lower = pair[0].toLowerCase();
    if (lower === "host") {
      if (!hostDone) out.push([pair[0], target.host]);
      hostDone = true;
    } else if (lower === "content-length") {
      if (!lengthDone) out.push([pair[0], String(bodyLength)]);
      lengthDone = true;
    } else {
      out.push([pair[0], pair[1]]);
    }
  }
  if (!hostDone) out.unshift(["Host", target.host]);
  if (!lengthDone && (bodyLength > 0 || !NO_BODY_BY_DEFAULT.has(method.toUpperCase()))) out.push(["Content-Length", String(bodyLength)]);
  return out;
}

/** node:http's raw header form: [name, value, name, value…], sent as given. */
export function flattenHeaders(headers: HeaderPairs): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  return flat;
}

/** node:http's rawHeaders → pairs. */
export function pairsFromRaw(raw: string[]): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  return pairs;
}
