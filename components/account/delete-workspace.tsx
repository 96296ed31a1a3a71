"use client";
import { useSWRConfig } from "swr";
import { ME_KEY, sendJson, workspaceKey, type WorkspaceView } from "./api";
import { ConfirmButton } from "../ui/confirm-button";
import { CARD, DANGER, HEADING, HINT } from "../ui/classes";

/** Owners only, never the personal workspace; the name must be typed to confirm. */
export function DeleteWorkspace({ workspace }: { workspace: WorkspaceView }) {
  const { mutate } = useSWRConfig();
  return (
    <section aria-label="Danger zone" className={`${CARD} border-rose-300 dark:border-rose-900`}>
      <h2 className={HEADING}>Delete this workspace</h2>
      <p className={HINT}>Its endpoints, captures, share links, invites and API tokens are deleted for everyone. This cannot be undone.</p>
      <ConfirmButton
        label="Delete workspace"
        title={`Delete ${workspace.name}?`}
        description="Every endpoint and capture in it is deleted for all members, and its share links and API tokens stop working."
        confirmLabel="Delete workspace"
        typeToConfirm={workspace.name}
        buttonClassName={DANGER}
        onConfirm={async () => {
          await sendJson("DELETE", workspaceKey(workspace.id));
          await mutate(ME_KEY);
          window.location.assign("/");
        }}
      />
    </section>
  );
}
