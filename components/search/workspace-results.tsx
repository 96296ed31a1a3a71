"use client";
// The workspace search's rows: newest first across endpoints, each naming its endpoint and linking to
// its capture in that endpoint's inspector; "Load older" follows nextBefore.
import Link from "next/link";
import { pathWithQuery, relativeTime, exactUtc } from "../inspector/format";
import { useNow } from "../inspector/use-now";
import { BUTTON } from "../ui/classes";
import { MethodBadge } from "../ui/method-badge";
import type { WorkspaceCapture } from "./use-workspace-search";

interface Props {
  captures: WorkspaceCapture[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadOlder(): void;
}

// The inspector opens unfiltered: a workspace query may name fields (endpoint:) an endpoint's list has no use for.
const captureHref = (c: WorkspaceCapture) => `/e/${encodeURIComponent(c.endpointId)}/c/${encodeURIComponent(c.id)}`;

export function WorkspaceResults({ captures, hasMore, loadingMore, onLoadOlder }: Props) {
  const now = useNow();
  return (
    <div className="space-y-2">
      <ul
        aria-label="Search results"
        className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
      >
        {captures.map((c) => (
          <li key={c.id}>
            <Link href={captureHref(c)} className="flex items-center gap-2 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-900">
              <MethodBadge method={c.method} />
              <span className="min-w-0 flex-1 truncate font-mono text-xs">{pathWithQuery(c.path, c.query)}</span>
              <span
                className="shrink-0 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
                data-testid="result-endpoint"
              >
                {c.endpoint.alias ? `${c.endpoint.name} (${c.endpoint.alias})` : c.endpoint.name}
              </span>
              <time
                className="w-20 shrink-0 text-right text-xs text-zinc-500"
                dateTime={new Date(c.receivedAt).toISOString()}
                title={exactUtc(c.receivedAt)}
              >
                {relativeTime(c.receivedAt, now)}
              </time>
            </Link>
          </li>
        ))}
      </ul>
      {hasMore ? (
        <button type="button" className={BUTTON} disabled={loadingMore} onClick={onLoadOlder}>
          {loadingMore ? "Loading…" : "Load older"}
        </button>
      ) : null}
    </div>
  );
}
