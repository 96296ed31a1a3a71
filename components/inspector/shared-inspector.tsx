"use client";
// The page behind a share link (app/s/[token]): the inspector, read-only and always masked, reading
// from /api/share/<token>/… instead of the dashboard API. A shared endpoint has the live list; a
// shared capture is just its detail. No reveal, settings, delete or sharing.
import { useMemo } from "react";
import { shareApi } from "./api";
import { CaptureDetailView } from "./capture-detail";
import { ConnectionBadge } from "./connection-badge";
import { ShareViewProvider, useInspectorView } from "./inspector-context";
import { InspectorFrame } from "./inspector-shell";
import { ShareLinkInvalid } from "./share-invalid";
import type { ConnectionState } from "./use-capture-feed";
import { ThemeToggle } from "../theme-toggle";

export interface SharedInspectorProps {
  token: string;
  kind: "endpoint" | "capture";
  name: string;
  /** Preformatted by the server (no locale or time zone differences between server and browser). */
  expiresLabel: string;
  expiresAt: string;
  /** kind "capture": the shared capture. */
  captureId: string | null;
}

export function SharedInspector(props: SharedInspectorProps) {
  const api = useMemo(() => shareApi(props.token), [props.token]);
  return (
    <ShareViewProvider api={api}>
      {props.kind === "endpoint" ? <SharedEndpoint {...props} /> : <SharedCapture {...props} />}
    </ShareViewProvider>
  );
}

function ShareBanner({
  name,
  expiresLabel,
  expiresAt,
  connection,
}: {
  name: string;
  expiresLabel: string;
  expiresAt: string;
  connection?: ConnectionState;
}) {
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <div
        role="note"
        aria-label="Shared view"
        className="flex flex-wrap items-center gap-x-2 gap-y-1 bg-violet-50 px-4 py-1.5 text-xs font-medium text-violet-900 dark:bg-violet-950/60 dark:text-violet-200"
      >
        <span>
          Shared read-only view · masked · expires <time dateTime={expiresAt}>{expiresLabel}</time>
        </span>
        <span className="font-normal text-violet-700 dark:text-violet-300">
          Secrets stay masked and cannot be revealed from a shared link.
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <span className="font-semibold tracking-tight">Hookscope</span>
        <span data-testid="endpoint-name" className="min-w-0 max-w-[20rem] truncate text-sm text-zinc-500" title={name}>
          {name}
        </span>
        <span className="ml-auto flex items-center gap-2">
          {connection ? <ConnectionBadge state={connection} /> : null}
          <ThemeToggle />
        </span>
      </div>
    </header>
  );
}

function SharedEndpoint(props: SharedInspectorProps) {
  const { selectedId } = useInspectorView();
  return (
    <InspectorFrame header={(feed) => <ShareBanner {...props} connection={feed.connection} />} gone={<ShareLinkInvalid />}>
      {selectedId ? (
        <CaptureDetailView captureId={selectedId} />
      ) : (
        <div className="mx-auto max-w-3xl space-y-2 p-6">
          <h2 className="text-lg font-semibold">Captures of {props.name}</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            New requests appear in the list as they arrive. Select one to see its headers, query and body, with secrets masked.
          </p>
        </div>
      )}
    </InspectorFrame>
  );
}

function SharedCapture(props: SharedInspectorProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <ShareBanner {...props} />
      <section aria-label="Capture detail" className="mx-auto w-full max-w-5xl min-w-0 flex-1">
        {props.captureId ? <CaptureDetailView captureId={props.captureId} /> : null}
      </section>
    </div>
  );
}
