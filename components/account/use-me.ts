"use client";
import { useEffect } from "react";
import useSWR, { useSWRConfig } from "swr";
import { fetchJson, ME_KEY, type Me } from "./api";

/** Who is signed in (GET /api/me), shared by every account component through SWR's cache. */
export function useMe() {
  const me = useSWR<Me>(ME_KEY, fetchJson, { revalidateOnFocus: true });
  useClaimAfterSignIn(me.data, me.mutate);
  return me;
}

let claiming = false;

/**
 * After an OAuth sign-in the browser still holds its anonymous cookie: move those endpoints into
 * the personal workspace (password sign-in and sign-up do this on the server already).
 */
function useClaimAfterSignIn(me: Me | undefined, refresh: () => Promise<unknown>) {
  const { mutate } = useSWRConfig();
  const pending = me?.kind === "user" && (me.anonymousEndpoints ?? 0) > 0;
  useEffect(() => {
    if (!pending || claiming) return;
    claiming = true;
    void fetch("/api/auth/claim", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
      .then(async () => {
        await refresh();
        await mutate((key) => typeof key === "string" && key.startsWith("/api/endpoints"));
      })
      .finally(() => {
        claiming = false;
      });
  }, [pending, refresh, mutate]);
}
