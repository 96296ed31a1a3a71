"use client";
// Invite links: single use, expiring; the link is shown once when created. Admins invite up to
// admin, owners also invite owners.
import { useId, useState } from "react";
import useSWR from "swr";
import { CopyButton } from "../ui/copy-button";
import { errorMessage, fetchJson, invitesKey, sendJson, type InviteView, type Role, type WorkspaceView } from "./api";
import { LocalDate } from "./local-date";
import { rolesUpTo } from "./role-label";
import { BUTTON, CARD, ERROR, HEADING, HINT, INPUT, LABEL, PRIMARY, TABLE, TD, TH } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";

export function Invites({ workspace }: { workspace: WorkspaceView }) {
  const { data, error, mutate } = useSWR<{ invites: InviteView[] }>(invitesKey(workspace.id), fetchJson);
  const [created, setCreated] = useState<InviteView | null>(null);
  const [role, setRole] = useState<Role>("member");
  const id = useId();
  const allowed = rolesUpTo(workspace.role === "owner" ? "owner" : "admin");

  const creation = useMutation(async () => {
    setCreated(await sendJson<InviteView>("POST", invitesKey(workspace.id), { role }));
    await mutate();
  }, errorMessage);
  const revocation = useMutation(async (invite: InviteView) => {
    try {
      await sendJson("DELETE", `/api/invites/${encodeURIComponent(invite.id)}`);
      if (created?.id === invite.id) setCreated(null);
    } finally {
      await mutate();
    }
  }, errorMessage);
  const { busy } = creation;

  // One error line for both actions: starting one clears the other's.
  function create(ev: React.FormEvent) {
    ev.preventDefault();
    revocation.reset();
    void creation.run();
  }

  function revoke(invite: InviteView) {
    creation.reset();
    void revocation.run(invite);
  }

  return (
    <section aria-labelledby={`${id}-h`} className={CARD}>
      <div className="space-y-1">
        <h2 id={`${id}-h`} className={HEADING}>
          Invites
        </h2>
        <p className={HINT}>An invite link works once, for anyone who has it, until it expires. Send it over a channel you trust.</p>
      </div>
      <form onSubmit={create} aria-label="Create an invite link" className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-role`} className={LABEL}>
            Role for the new member
          </label>
          <select id={`${id}-role`} className={INPUT} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {allowed.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={PRIMARY} disabled={busy}>
          {busy ? "Creating…" : "Create invite link"}
        </button>
      </form>
      {created?.url ? (
        <div
          data-testid="new-invite"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950/40"
        >
          <p role="status" className="text-sm font-medium text-amber-900 dark:text-amber-200">
            Copy this link now: it is shown only once. It makes one person a {created.role}, until{" "}
            <LocalDate iso={created.expiresAt} format="datetime" />.
          </p>
          <div className="flex items-center gap-2">
            <code
              data-testid="new-invite-url"
              className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900"
            >
              {created.url}
            </code>
            <CopyButton text={created.url} label="Copy link" />
          </div>
          <button type="button" className={BUTTON} onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      ) : null}
      <FormError error={creation.error ?? revocation.error} />
      {error ? (
        <p role="alert" className={ERROR}>
          Could not load the invites: {errorMessage(error)}
        </p>
      ) : !data ? (
        <p className="text-sm text-zinc-500">Loading invites…</p>
      ) : data.invites.length === 0 ? (
        <p className="text-sm text-zinc-500">No pending invites.</p>
      ) : (
        <div className="-mx-2 overflow-x-auto">
          <table className={TABLE} aria-label="Pending invites">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className={TH}>Role</th>
                <th className={`${TH} hidden sm:table-cell`}>Created</th>
                <th className={TH}>Expires</th>
                <th className={TH}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
              {data.invites.map((inv) => (
                <tr key={inv.id}>
                  <td className={TD}>{inv.role}</td>
                  <td className={`${TD} hidden whitespace-nowrap text-zinc-500 sm:table-cell`}>
                    <LocalDate iso={inv.createdAt} format="datetime" />
                  </td>
                  <td className={`${TD} whitespace-nowrap text-zinc-500`}>
                    <LocalDate iso={inv.expiresAt} format="datetime" />
                  </td>
                  <td className={`${TD} text-right`}>
                    <button
                      type="button"
                      className={BUTTON}
                      onClick={() => revoke(inv)}
                      aria-label={`Revoke ${inv.role} invite created ${inv.createdAt}`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
