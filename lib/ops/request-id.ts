// A request id for every request the door thread receives: the client's (or a proxy's)
// x-request-id when it is sane (1-128 characters of letters, digits and . _ : + / = -), else a new
// UUID. It is passed on to the app as x-request-id (route errors log it: lib/http/route.ts), sent
// back as X-Request-Id on every answer (captures included, unless a response rule sets its own),
// and put in the door's log lines about the exchange (lib/runtime/node-response.ts requestIdOf).
// Import-free apart from node:crypto.
import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";
const SANE = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/** The id to use for a request whose x-request-id header is `given` (a repeated header counts as absent). */
export function requestIdFor(given: string | string[] | undefined): string {
  return typeof given === "string" && SANE.test(given) ? given : randomUUID();
}
