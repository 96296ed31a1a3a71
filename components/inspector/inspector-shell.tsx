"use client";
// The endpoint page frame: header with the capture URL and connection state, the live list, and
// the selected capture (children). Side by side from 1024 px, stacked below that.
import { useParams } from "next/navigation";
import { CaptureList } from "./capture-list";
import { EndpointHeader } from "./endpoint-header";
import { InspectorContext } from "./inspector-context";
import { useCaptureFeed } from "./use-capture-feed";

export function InspectorShell({ endpointId, children }: { endpointId: string; children: React.ReactNode }) {
  const feed = useCaptureFeed(endpointId);
  const selected = Boolean(useParams<{ captureId?: string }>().captureId);
  return (
    <InspectorContext.Provider value={feed}>
      <div className="flex min-h-dvh flex-col lg:h-dvh">
        <EndpointHeader endpointId={endpointId} connection={feed.connection} />
        <div className="flex flex-col lg:min-h-0 lg:flex-1 lg:flex-row">
          <section
            aria-label="Capture list"
            className={`${selected ? "h-[38dvh]" : "h-[60dvh]"} shrink-0 border-b border-zinc-200 lg:h-auto lg:w-[26rem] lg:border-b-0 lg:border-r dark:border-zinc-800`}
          >
            <CaptureList endpointId={endpointId} feed={feed} />
          </section>
          <section aria-label="Capture detail" className="min-w-0 flex-1 lg:overflow-auto">
            {children}
          </section>
        </div>
      </div>
    </InspectorContext.Provider>
  );
}
