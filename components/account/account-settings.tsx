"use client";
import { errorMessage } from "./api";
import { ApiTokens } from "./api-tokens";
import { SessionsSettings } from "./sessions-settings";
import { CARD, ERROR, HEADING } from "../ui/classes";
import { useMe } from "./use-me";
import { WorkspaceList } from "./workspace-list";

/** /settings: who you are, your API tokens, your password and sessions, and your workspaces. */
export function AccountSettings() {
  const { data: me, error } = useMe();
  if (error) {
    return (
      <p role="alert" className={ERROR}>
        Could not load your account: {errorMessage(error)}
      </p>
    );
  }
  if (!me) return <p className="text-sm text-zinc-500">Loading…</p>;
  return (
    <div className="space-y-6">
      <section aria-label="Account" className={CARD}>
        <h2 className={HEADING}>Account</h2>
        <dl className="grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
          <dt className="text-zinc-500">Name</dt>
          <dd className="truncate">{me.user?.name}</dd>
          <dt className="text-zinc-500">Email</dt>
          <dd className="truncate">{me.user?.email}</dd>
        </dl>
      </section>
      <ApiTokens workspaces={me.workspaces} />
      <SessionsSettings />
      <WorkspaceList workspaces={me.workspaces} />
    </div>
  );
}
