import Link from "next/link";
import type { CaptureSummary } from "./api";
import { exactUtc, formatBytes, pathWithQuery, relativeTime } from "./format";
import { MethodBadge } from "../ui/method-badge";
import { ProviderChip } from "../signatures/signature-chip";

export const ROW_HEIGHT = 60;

interface Props {
  capture: CaptureSummary;
  href: string;
  selected: boolean;
  fresh: boolean;
  now: number;
  /** Opens the capture instead of following the link (a plain click; new-tab clicks still follow it). */
  onOpen?: (id: string) => void;
}

/** One capture in the list. Everything captured is rendered as text. */
export function CaptureRow({ capture, href, selected, fresh, now, onOpen }: Props) {
  const tone = selected
    ? "bg-indigo-50 dark:bg-indigo-950/60 border-l-indigo-500"
    : "border-l-transparent hover:bg-zinc-50 dark:hover:bg-zinc-900";
  return (
    <Link
      href={href}
      prefetch={onOpen ? false : undefined}
      onClick={
        onOpen
          ? (e) => {
              if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
              e.preventDefault();
              onOpen(capture.id);
            }
          : undefined
      }
      aria-current={selected ? "page" : undefined}
      data-seq={capture.seq}
      className={`flex h-full flex-col justify-center gap-1 border-b border-l-4 border-b-zinc-100 px-3 dark:border-b-zinc-900 ${tone} ${fresh ? "hs-arrival" : ""}`}
    >
      <span className="flex min-w-0 items-center gap-2">
        <MethodBadge method={capture.method} />
        <span className="min-w-0 flex-1 truncate font-mono text-sm">{pathWithQuery(capture.path, capture.query)}</span>
        <ProviderChip signature={capture.signature} />
        {capture.rejected ? (
          <span className="shrink-0 rounded bg-rose-100 px-1 text-[11px] text-rose-800 dark:bg-rose-950 dark:text-rose-300">
            {capture.rejected}
          </span>
        ) : null}
        <span className="shrink-0 font-mono text-[11px] text-zinc-500">{capture.response.status}</span>
      </span>
      <span className="flex min-w-0 items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
        <time dateTime={exactUtc(capture.receivedAt)} title={exactUtc(capture.receivedAt)} className="shrink-0">
          {relativeTime(capture.receivedAt, now)}
        </time>
        <span aria-hidden>·</span>
        <span className="shrink-0">{formatBytes(capture.bodySize)}</span>
        {capture.contentType ? (
          <>
            <span aria-hidden>·</span>
            <span className="min-w-0 truncate">{capture.contentType}</span>
          </>
        ) : null}
        <span aria-hidden>·</span>
        <span className="shrink-0 truncate font-mono">{capture.remoteAddr}</span>
      </span>
    </Link>
  );
}
