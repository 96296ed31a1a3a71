"use client";
import useSWR from "swr";
import { fetchJson, ME_KEY, type Me } from "./api";

/** Who is signed in (GET /api/me), shared by every account component through SWR's cache. */
export function useMe() {
  return useSWR<Me>(ME_KEY, fetchJson, { revalidateOnFocus: true });
}
