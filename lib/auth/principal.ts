// Who is acting. Until accounts exist an endpoint belongs to an anonymous owner identified by a
// signed httpOnly cookie; data-access functions take the principal explicitly and scope every
// query by it, so accounts can replace this without changing the routes.
export interface Principal {
  ownerKey: string;
}

/** Endpoints that have not expired (anonymous endpoints live for ANON_ENDPOINT_TTL). */
export function notExpired(now = new Date()) {
  return { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/** The endpoints a principal may see: its own, and only while they have not expired. */
export function ownedBy(principal: Principal) {
  return { ownerKey: principal.ownerKey, ...notExpired() };
}
