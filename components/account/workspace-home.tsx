"use client";
// The home page for a signed-in user: pick a workspace, create endpoints into it (members and
// up; a viewer is told why not), and list its endpoints. The choice is kept in localStorage.
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import useSWR from "swr";
import { can } from "@/lib/auth/roles";
import { CreateEndpointButton } from "../create-endpoint-button";
import { endpointsKey, errorMessage, fetchJson, type EndpointView, type WorkspaceView } from "./api";
import { LocalDate } from "./local-date";
import { INPUT, LABEL } from "../ui/classes";
import { useMe } from "./use-me";

const STORAGE_KEY = "hs_workspace";

function pickWorkspace(workspaces: WorkspaceView[], wanted: (string | null | undefined)[]): WorkspaceView | undefined {
  for (const id of wanted) {
    const found = id ? workspaces.find((w) => w.id === id) : undefined;
    if (found) return found;
  }
  return workspaces.find((w) => w.personal) ?? workspaces[0];
}

export function WorkspaceHome({ requestedWorkspaceId }: { requestedWorkspaceId?: string }) {
  const { data: me, error } = useMe();
  const [chosen, setChosen] = useState<string | null>(requestedWorkspaceId ?? null);
  const selectId = useId();

  useEffect(() => {
    if (!requestedWorkspaceId) setChosen(window.localStorage.getItem(STORAGE_KEY));
  }, [requestedWorkspaceId]);

  if (error) {
    return (
      <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
        Could not load your workspaces: {errorMessage(error)}
      </p>
    );
  }
  if (!me) return <p className="text-sm text-zinc-500">Loading your workspaces…</p>;
  const workspace = pickWorkspace(me.workspaces, [chosen]);
  if (!workspace) return <p className="text-sm text-zinc-500">You are not in any workspace.</p>;

  function choose(id: string) {
    setChosen(id);
    window.localStorage.setItem(STORAGE_KEY, id);
  }

  const mayCreate = can(workspace.role, "endpoint.create");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-x-3 gap-y-2">
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor={selectId} className={LABEL}>
            Workspace
          </label>
          <select id={selectId} className={`${INPUT} w-full`} value={workspace.id} onChange={(e) => choose(e.target.value)}>
            {me.workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
                {w.personal ? " (personal)" : ""} · {w.role}
              </option>
            ))}
          </select>
        </div>
        <Link
          href={`/w/${encodeURIComponent(workspace.id)}`}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Search captures
        </Link>
        <Link
          href={`/w/${encodeURIComponent(workspace.id)}/settings`}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Workspace settings
        </Link>
      </div>
      <CreateEndpointButton
        key={workspace.id}
        workspaceId={workspace.id}
        disabledReason={
          mayCreate
            ? undefined
            : `You are a viewer in ${workspace.name}: viewers can read captures but cannot create endpoints. Ask an admin of the workspace for the member role.`
        }
      />
      <WorkspaceEndpoints workspace={workspace} />
    </div>
  );
}

function WorkspaceEndpoints({ workspace }: { workspace: WorkspaceView }) {
  const { data, error, isLoading } = useSWR<{ endpoints: EndpointView[] }>(endpointsKey(workspace.id), fetchJson);
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="space-y-2">
      <h2 id={headingId} className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
        Endpoints in {workspace.name}
      </h2>
      {isLoading ? (
        <p className="text-sm text-zinc-500">Loading endpoints…</p>
      ) : error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          Could not load the endpoints: {errorMessage(error)}
        </p>
      ) : !data?.endpoints.length ? (
        <p className="rounded-md border border-dashed border-zinc-300 px-3 py-4 text-center text-sm text-zinc-500 dark:border-zinc-700">
          No endpoints in this workspace yet.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {data.endpoints.map((e) => (
            <li key={e.id}>
              <Link href={`/e/${encodeURIComponent(e.id)}`} className="block px-3 py-2 hover:bg-zinc-50 dark:hover:bg-zinc-900">
                <span className="flex items-baseline justify-between gap-3">
                  <span className="truncate font-medium">{e.name}</span>
                  <span className="shrink-0 text-xs text-zinc-500">
                    <LocalDate iso={e.createdAt} />
                  </span>
                </span>
                <span className="block break-all font-mono text-xs text-zinc-500">{e.url}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
