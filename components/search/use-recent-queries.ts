"use client";
// The last queries run on this endpoint, newest first, in localStorage (this browser only; never
// sent anywhere). Bounded in count and length; a storage that refuses (private mode, quota) just
// means no history.
import { useCallback, useEffect, useState } from "react";

export const MAX_RECENT = 8;
const MAX_LENGTH = 500;
const keyOf = (scope: string) => `hookscope:recent-queries:${scope}`;

function read(scope: string): string[] {
  try {
    const raw = JSON.parse(window.localStorage.getItem(keyOf(scope)) ?? "[]") as unknown;
    return Array.isArray(raw) ? raw.filter((q): q is string => typeof q === "string").slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function useRecentQueries(scope: string): { recent: string[]; remember(query: string): void } {
  const [recent, setRecent] = useState<string[]>([]);
  useEffect(() => setRecent(read(scope)), [scope]);
  const remember = useCallback(
    (query: string) => {
      const q = query.trim();
      if (!q || q.length > MAX_LENGTH) return;
      const next = [q, ...read(scope).filter((r) => r !== q)].slice(0, MAX_RECENT);
      setRecent(next);
      try {
        window.localStorage.setItem(keyOf(scope), JSON.stringify(next));
      } catch {
        // Storage refused: the list lives for this page only.
      }
    },
    [scope],
  );
  return { recent, remember };
}
