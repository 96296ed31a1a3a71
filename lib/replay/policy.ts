// The operator's egress settings (ALLOWED_FORWARD_SUBNETS, FORWARD_*_TIMEOUT_MS) in the shape the
// SSRF guard and the egress client take, and the one rule about credentials on replays.
import { config } from "../config";
import type { HeaderPairs } from "../model/capture";
import type { GuardPolicy } from "../net/ssrf";
import { isCredentialHeader } from "../redaction/credential-headers";

export function guardPolicy(): GuardPolicy {
  return { allowedSubnets: config().ALLOWED_FORWARD_SUBNETS, allowedPorts: null };
}

export function egressLimits(): { connectTimeoutMs: number; totalTimeoutMs: number } {
  const c = config();
  return { connectTimeoutMs: c.FORWARD_CONNECT_TIMEOUT_MS, totalTimeoutMs: Math.max(c.FORWARD_TIMEOUT_MS, c.FORWARD_CONNECT_TIMEOUT_MS) };
}

/**
 * How long a claimed forwarding job is held by the instance sending it (FORWARD_LEASE_MS, else the send's
 * whole timeout + 30 s): another instance takes it over only after this, so a send that is still
 * running is never sent twice, and a job whose instance died is sent again once it ends.
 */
export function forwardLeaseMs(): number {
  return config().FORWARD_LEASE_MS ?? egressLimits().totalTimeoutMs + 30_000;
}

/**
 * Credentials a replay leaves out unless the user ticks "include credentials" (security.md §2.5): every header the
 * masking hides by default as a credential (lib/redaction/credential-headers.ts: Authorization, Cookie, X-Api-Key,
 * *-Token, *-Secret…). Signature headers (Stripe-Signature, X-Hub-Signature-256…) are kept: a MAC reveals no key and
 * the receiver needs it to verify the replay.
 */
export function dropCredentials(headers: HeaderPairs): HeaderPairs {
  return headers.filter(([name]) => !isCredentialHeader(name));
}
