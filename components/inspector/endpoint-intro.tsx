"use client";
// The detail pane before a capture is selected: how to send the first request.
import useSWR from "swr";
import { endpointKey, fetchJson, type EndpointView } from "./api";
import { CopyButton } from "../ui/copy-button";
import { curlExample } from "./curl-example";

export function EndpointIntro({ endpointId }: { endpointId: string }) {
  const { data: endpoint } = useSWR<EndpointView>(endpointKey(endpointId), fetchJson);
  if (!endpoint) return null;
  const curl = curlExample(endpoint.url);
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-6">
      <h2 className="text-lg font-semibold">Send a request</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Point a webhook provider at the capture URL, or paste this into a terminal. Any method, sub-path, query and body is recorded exactly
        as it arrives.
      </p>
      {/* The copy button sits above the command, not over it: the long first line scrolls sideways. */}
      <div className="overflow-hidden rounded-md bg-zinc-100 dark:bg-zinc-900">
        <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-1.5 dark:border-zinc-800">
          <span className="text-xs text-zinc-500 dark:text-zinc-400">Terminal</span>
          <CopyButton text={curl} label="Copy curl" className="bg-white dark:bg-zinc-950" />
        </div>
        {/* biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element */}
        <pre role="figure" aria-label="curl example" className="overflow-x-auto p-4 text-sm">
          {curl}
        </pre>
      </div>
      <p className="text-sm text-zinc-500">Select a capture in the list to inspect its headers, query and body.</p>
    </div>
  );
}
