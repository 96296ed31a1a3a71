"use client";
import Link from "next/link";
import useSWR from "swr";
import { endpointKey, errorMessage, fetchJson, type EndpointView } from "./api";
import { ClearAllButton } from "./clear-all";
import { canManage, RoleBadge } from "./role";
import { ConnectionBadge } from "./connection-badge";
import { CopyButton } from "../ui/copy-button";
import { curlExample } from "./curl-example";
import { SettingsButton } from "../endpoint-settings/endpoint-settings";
import { ThemeToggle } from "../theme-toggle";
import type { ConnectionState } from "./use-capture-feed";

export function EndpointHeader({ endpointId, connection }: { endpointId: string; connection: ConnectionState }) {
  const { data: endpoint, error } = useSWR<EndpointView>(endpointKey(endpointId), fetchJson);
  return (
    <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <Link href="/" className="font-semibold tracking-tight">
        Hookscope
      </Link>
      {endpoint ? (
        <span data-testid="endpoint-name" className="max-w-[12rem] truncate text-sm text-zinc-500" title={endpoint.name}>
          {endpoint.name}
        </span>
      ) : null}
      {endpoint?.expiresAt ? (
        <span data-testid="endpoint-expiry" className="text-xs text-zinc-500" title={`Deleted with its captures at ${endpoint.expiresAt}`}>
          Expires {new Date(endpoint.expiresAt).toLocaleDateString(undefined, { dateStyle: "medium" })}
        </span>
      ) : null}
      <div className="order-last flex w-full min-w-0 items-center gap-2 sm:order-none sm:w-auto sm:min-w-[22rem] sm:flex-1">
        <span className="hidden text-xs text-zinc-500 sm:inline">Capture URL</span>
        {endpoint ? (
          <>
            <code
              data-testid="capture-url"
              className="min-w-0 flex-1 break-all rounded bg-zinc-100 px-2 py-1 text-xs sm:flex-initial sm:truncate sm:text-sm dark:bg-zinc-900"
            >
              {endpoint.url}
            </code>
            <CopyButton text={endpoint.url} label="Copy URL" className="shrink-0" />
            <CopyButton text={curlExample(endpoint.url)} label="Copy curl" className="hidden shrink-0 sm:inline-block" />
          </>
        ) : error ? (
          <span role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            {errorMessage(error)}
          </span>
        ) : (
          <span className="text-sm text-zinc-500">Loading…</span>
        )}
      </div>
      <span className="ml-auto flex items-center gap-2 sm:ml-0">
        <ConnectionBadge state={connection} />
        {endpoint ? <RoleBadge endpoint={endpoint} /> : null}
        {endpoint && canManage(endpoint.role) ? (
          <>
            <SettingsButton endpoint={endpoint} />
            <ClearAllButton endpointId={endpointId} />
          </>
        ) : null}
        <ThemeToggle />
      </span>
    </header>
  );
}
