// The in-process hook between the forwarding-rule API (forward-rules.ts) and the running Forwarder
// (forwarder.ts); in cluster mode (lib/cluster/cluster.ts) also the other instances' Forwarders: a
// change made here is published, and one heard from elsewhere calls rulesChanged here.
import { shared } from "../runtime/shared";

export const hooks = () =>
  shared("forwarder-hooks", () => ({ rulesChanged: null as null | (() => void), publish: null as null | (() => void) }));

/** Called by the API after a rule is saved or deleted (in the same process). */
export function forwardRulesChanged(): void {
  hooks().rulesChanged?.();
  hooks().publish?.();
}
