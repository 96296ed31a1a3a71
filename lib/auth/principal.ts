// Who is acting. Until accounts exist an endpoint belongs to an anonymous owner identified by a
// signed httpOnly cookie; data-access functions take the principal explicitly and scope every
// query by it, so accounts can replace this without changing the routes.
export interface Principal {
  ownerKey: string;
}

export function ownedBy(principal: Principal) {
  return { ownerKey: principal.ownerKey };
}
