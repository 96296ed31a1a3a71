// The webhook sender of a capture in a list row (provider name, with the signature status when known), and the
// status badge the signature panel shows.
import type { CaptureSummary } from "../inspector/api";

type Status = "valid" | "invalid" | "stale" | "unknown";

const TONE: Record<Status, string> = {
  valid: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  invalid: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300",
  stale: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300",
  unknown: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

const DOT: Record<Status, string> = {
  valid: "bg-emerald-500",
  invalid: "bg-rose-500",
  stale: "bg-amber-500",
  unknown: "bg-zinc-400 dark:bg-zinc-500",
};

export const STATUS_WORDS: Record<Status, string> = {
  valid: "valid",
  invalid: "invalid",
  stale: "stale",
  unknown: "unknown",
};

export function SignatureBadge({ status }: { status: Status }) {
  return (
    <span
      role="status"
      aria-label={`Signature: ${STATUS_WORDS[status]}`}
      className={`inline-flex items-center gap-1.5 rounded px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ${TONE[status]}`}
    >
      <span aria-hidden className={`size-1.5 rounded-full ${DOT[status]}`} />
      {STATUS_WORDS[status]}
    </span>
  );
}

/** Provider chip for a list row (name and event type): nothing when no sender was recognised. */
export function ProviderChip({ signature }: { signature: CaptureSummary["signature"] }) {
  if (!signature?.provider) return null;
  const name = signature.providerName ?? signature.provider;
  const status = signature.status;
  const title = [name, signature.eventType, status && status !== "unknown" ? `signature ${status}` : null].filter(Boolean).join(" · ");
  return (
    <span
      data-testid="provider-chip"
      title={title}
      className="inline-flex max-w-[13rem] min-w-0 shrink-0 items-center gap-1 overflow-hidden rounded border border-zinc-200 px-1 text-[11px] text-zinc-700 dark:border-zinc-700 dark:text-zinc-300"
    >
      {status && status !== "unknown" ? <span aria-hidden className={`size-1.5 shrink-0 rounded-full ${DOT[status]}`} /> : null}
      <span className="shrink-0">{name}</span>
      {signature.eventType ? <span className="min-w-0 truncate text-zinc-500 dark:text-zinc-400">{signature.eventType}</span> : null}
      {status && status !== "unknown" ? <span className="sr-only">, signature {status}</span> : null}
    </span>
  );
}
