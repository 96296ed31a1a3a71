// Dropping the capture list's cached pages after a change that touches many captures (a delete by
// query). Each query's list is its own useSWRInfinite: its pages under their own keys and the page
// array under "$inf$" + the first page's key. A key-filter mutate skips "$inf$" keys by design, and
// the feed does not revalidate stale data when its key changes (revalidateIfStale: false), so the
// unfiltered list came back with the deleted rows: here both kinds of key are cleared explicitly.
import type { Cache, ScopedMutator } from "swr";

const INFINITE_PREFIX = "$inf$";

/**
 * Clears every cached page (and page array) whose key starts with `listPrefix` (e.g.
 * "/api/endpoints/<id>/captures?"), except the page array `keepInfiniteKey` (the mounted list,
 * which its own hook refetches: emptying it would flash the loading state). Through SWR's own
 * mutate, key by key (a key-filter mutate skips "$inf$" keys; deleting cache entries behind SWR's
 * back left a list that switched to one of them waiting on its loading state).
 */
export async function dropCachedLists(cache: Cache, mutate: ScopedMutator, listPrefix: string, keepInfiniteKey: string): Promise<void> {
  const keys = [...cache.keys()].filter((key) => {
    const plain = key.startsWith(INFINITE_PREFIX) ? key.slice(INFINITE_PREFIX.length) : key;
    return plain.startsWith(listPrefix) && key !== keepInfiniteKey && !keepInfiniteKey.endsWith(key);
  });
  await Promise.all(keys.map((key) => mutate(key, undefined, { revalidate: false })));
}

export const infiniteKeyOf = (firstPageKey: string) => `${INFINITE_PREFIX}${firstPageKey}`;
