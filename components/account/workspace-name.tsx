"use client";
import { useId, useState } from "react";
import { useSWRConfig } from "swr";
import { can } from "@/lib/auth/roles";
import { errorMessage, ME_KEY, sendJson, workspaceKey, type WorkspaceView } from "./api";
import { ROLE_HELP } from "./role-label";
import { BUTTON, ERROR, INPUT, PRIMARY } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

/** The page title: the workspace's name (renamable by admins), its kind and your role. */
export function WorkspaceName({ workspace }: { workspace: WorkspaceView }) {
  const { mutate } = useSWRConfig();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(workspace.name);
  const rename = useMutation(async () => {
    const saved = await sendJson<WorkspaceView>("PATCH", workspaceKey(workspace.id), { name });
    await mutate(workspaceKey(workspace.id), saved, { revalidate: false });
    await mutate(ME_KEY);
    setEditing(false);
  }, errorMessage);
  const { busy, error } = rename;

  function save(ev: React.FormEvent) {
    ev.preventDefault();
    void rename.run();
  }

  return (
    <div className="space-y-2">
      {editing ? (
        <form onSubmit={save} className="flex flex-wrap items-center gap-2" aria-label="Rename workspace">
          <label htmlFor={`${id}-name`} className="sr-only">
            Workspace name
          </label>
          <input
            id={`${id}-name`}
            className={`${INPUT} min-w-0 flex-1 text-lg`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={120}
            required
            // biome-ignore lint/a11y/noAutofocus: the user just opened the inline rename; typing goes to the name
            autoFocus
          />
          <button type="submit" className={PRIMARY} disabled={busy || name.trim() === ""}>
            Save
          </button>
          <button
            type="button"
            className={BUTTON}
            onClick={() => {
              setEditing(false);
              setName(workspace.name);
              rename.reset();
            }}
          >
            Cancel
          </button>
        </form>
      ) : (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight">{workspace.name}</h1>
          {can(workspace.role, "workspace.update") ? (
            <button type="button" className={BUTTON} onClick={() => setEditing(true)}>
              Rename
            </button>
          ) : null}
        </div>
      )}
      {error ? (
        <p role="alert" className={ERROR}>
          {error}
        </p>
      ) : null}
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {workspace.personal ? "Personal workspace" : "Team workspace"} · {workspace.memberCount}{" "}
        {workspace.memberCount === 1 ? "member" : "members"} · you are{" "}
        <strong data-testid="my-role" className="font-medium text-zinc-900 dark:text-zinc-100">
          {workspace.role}
        </strong>{" "}
        ({ROLE_HELP[workspace.role]})
      </p>
    </div>
  );
}
