"use client";
// Members and their roles. Admins change roles below owner and remove members; only an owner
// grants, changes or removes the owner role. Anyone may leave a team workspace.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import useSWR, { useSWRConfig } from "swr";
import { ROLES, can, type Role } from "@/lib/auth/roles";
import { errorMessage, fetchJson, ME_KEY, membersKey, sendJson, workspaceKey, type MemberView, type WorkspaceView } from "./api";
import { ConfirmButton } from "../ui/confirm-button";
import { LocalDate } from "./local-date";
import { BUTTON, CARD, ERROR, HEADING, HINT, INPUT, TABLE, TD, TH } from "../ui/classes";

export function Members({ workspace, userId }: { workspace: WorkspaceView; userId: string }) {
  const router = useRouter();
  const { mutate: mutateGlobal } = useSWRConfig();
  const { data, error, mutate } = useSWR<{ members: MemberView[] }>(membersKey(workspace.id), fetchJson);
  const [actionError, setActionError] = useState<string | null>(null);
  const headingId = useId();
  const mine = workspace.role;
  const admin = can(mine, "member.manage");
  const owner = mine === "owner";

  const refresh = async () => {
    await Promise.all([mutate(), mutateGlobal(workspaceKey(workspace.id)), mutateGlobal(ME_KEY)]);
  };

  async function changeRole(member: MemberView, role: Role) {
    setActionError(null);
    try {
      await sendJson("PATCH", `${membersKey(workspace.id)}/${encodeURIComponent(member.userId)}`, { role });
    } catch (err) {
      setActionError(`Could not change ${member.name || member.email}'s role: ${errorMessage(err)}`);
    }
    await refresh();
  }

  const mayEditRole = (m: MemberView) => admin && (owner || m.role !== "owner");
  const mayRemove = (m: MemberView) => m.userId !== userId && admin && (owner || m.role !== "owner");

  const actions = (m: MemberView) =>
    m.userId === userId && !workspace.personal ? (
      <ConfirmButton
        label="Leave"
        title={`Leave ${workspace.name}?`}
        description="You lose access to its endpoints and captures, and your API tokens for it stop working. You need a new invite to come back."
        confirmLabel="Leave workspace"
        onConfirm={async () => {
          await sendJson("DELETE", `${membersKey(workspace.id)}/${encodeURIComponent(m.userId)}`);
          await mutateGlobal(ME_KEY);
          router.push("/");
        }}
      />
    ) : mayRemove(m) ? (
      <ConfirmButton
        label="Remove"
        ariaLabel={`Remove ${m.email}`}
        title={`Remove ${m.name || m.email}?`}
        description="They lose access to this workspace at once, and their API tokens for it stop working."
        confirmLabel="Remove member"
        onConfirm={async () => {
          await sendJson("DELETE", `${membersKey(workspace.id)}/${encodeURIComponent(m.userId)}`);
          await refresh();
        }}
        buttonClassName={BUTTON}
      />
    ) : null;

  return (
    <section aria-labelledby={headingId} className={CARD}>
      <div className="space-y-1">
        <h2 id={headingId} className={HEADING}>
          Members
        </h2>
        <p className={HINT}>
          Viewers read captures (always masked); members also manage endpoints, reveal, replay and share; admins also manage members,
          invites, redaction rules and the audit log; owners also grant ownership and delete the workspace.
          {workspace.personal ? " A personal workspace has just you; create a team workspace in Settings to invite people." : ""}
        </p>
      </div>
      {actionError ? (
        <p role="alert" className={ERROR}>
          {actionError}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className={ERROR}>
          Could not load the members: {errorMessage(error)}
        </p>
      ) : !data ? (
        <p className="text-sm text-zinc-500">Loading members…</p>
      ) : (
        <div className="-mx-2 overflow-x-auto">
          <table className={TABLE} aria-label="Members">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className={TH}>Member</th>
                <th className={TH}>Role</th>
                <th className={`${TH} hidden sm:table-cell`}>Joined</th>
                <th className={`${TH} hidden sm:table-cell`}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
              {data.members.map((m) => (
                <tr key={m.userId}>
                  <td className={`${TD} min-w-0`}>
                    <span className="block font-medium [overflow-wrap:anywhere]">
                      {m.name}
                      {m.userId === userId ? <span className="ml-1.5 text-xs font-normal text-zinc-500">(you)</span> : null}
                    </span>
                    <span className="block break-all text-xs text-zinc-600 dark:text-zinc-400">{m.email}</span>
                    {/* Narrow screens: the action sits under the member instead of in its own column. */}
                    <span className="mt-1 block sm:hidden">{actions(m)}</span>
                  </td>
                  <td className={TD}>
                    {mayEditRole(m) ? (
                      <select
                        aria-label={`Role of ${m.email}`}
                        className={`${INPUT} py-1`}
                        value={m.role}
                        onChange={(e) => void changeRole(m, e.target.value as Role)}
                      >
                        {ROLES.filter((r) => owner || r !== "owner").map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span data-testid={`role-${m.email}`}>{m.role}</span>
                    )}
                  </td>
                  <td className={`${TD} hidden whitespace-nowrap text-zinc-500 sm:table-cell`}>
                    <LocalDate iso={m.joinedAt} />
                  </td>
                  <td className={`${TD} hidden text-right sm:table-cell`}>{actions(m)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
