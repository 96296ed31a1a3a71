"use client";
// One state change at a time from a form or button: `run` calls the request, `busy` is true while
// it runs, `error` holds the API's message and `issues` its field problems (a 422's
// { error: { code, message, issues } }, read by api-client's ApiError). A second run while one is
// in flight is ignored. `run` resolves to the result, or undefined when it failed (the error is
// then in state, never thrown), so callers write `const r = await run(); if (r) …`.
//
// Why not SWR's useSWRMutation: these mutations are not tied to one cache key (a save updates
// several keys, a delete removes one), their errors are shown at fields from `issues`, and most
// callers want a failed run to leave state, not throw; a hook of a dozen lines says that directly.
import { useCallback, useRef, useState } from "react";
import { issuesOf, type ApiIssue } from "../api-client";

export interface Mutation<A extends unknown[], T> {
  run(...args: A): Promise<T | undefined>;
  busy: boolean;
  error: string | null;
  issues: readonly ApiIssue[];
  /** Clears the error (e.g. when the form is edited or a dialog closes). */
  reset(): void;
}

export function useMutation<A extends unknown[], T>(
  fn: (...args: A) => Promise<T>,
  describe: (err: unknown) => string = (err) => (err instanceof Error ? err.message : String(err)),
  /** Leave `busy` on after a success: the run ends by navigating away, so the button stays disabled while the next page loads. */
  { stayBusy = false }: { stayBusy?: boolean } = {},
): Mutation<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<readonly ApiIssue[]>([]);
  const running = useRef(false);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const describeRef = useRef(describe);
  describeRef.current = describe;

  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      if (running.current) return undefined;
      running.current = true;
      setBusy(true);
      setError(null);
      setIssues([]);
      try {
        const result = await fnRef.current(...args);
        if (!stayBusy) {
          running.current = false;
          setBusy(false);
        }
        return result;
      } catch (err) {
        setError(describeRef.current(err));
        setIssues(issuesOf(err));
        running.current = false;
        setBusy(false);
        return undefined;
      }
    },
    [stayBusy],
  );
  const reset = useCallback(() => {
    setError(null);
    setIssues([]);
  }, []);
  return { run, busy, error, issues, reset };
}
