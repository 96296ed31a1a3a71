import type { ConnectionState } from "./use-capture-feed";

const LOOK: Record<ConnectionState, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-zinc-400" },
  live: { label: "Live", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  offline: { label: "Offline, retrying", dot: "bg-rose-500" },
};

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const look = LOOK[state];
  return (
    <span
      role="status"
      aria-label={`Live updates: ${look.label}`}
      data-state={state}
      className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400"
    >
      <span aria-hidden className={`h-2 w-2 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
