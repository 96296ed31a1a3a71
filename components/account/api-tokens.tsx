"use client";
// API tokens: create (name, workspace, a role up to yours there), shown once with a copy button;
// the list never holds the secret again, only its first characters; revoke.
import { useId, useState } from "react";
import useSWR from "swr";
import type { Role } from "@/lib/auth/roles";
import { CopyButton } from "../ui/copy-button";
import { errorMessage, fetchJson, sendJson, TOKENS_KEY, type ApiTokenView, type WorkspaceView } from "./api";
import { ConfirmButton } from "../ui/confirm-button";
import { LocalDate } from "./local-date";
import { rolesUpTo } from "./role-label";
import { BUTTON, CARD, ERROR, HEADING, HINT, INPUT, LABEL, PRIMARY, TABLE, TD, TH } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

export function ApiTokens({ workspaces }: { workspaces: WorkspaceView[] }) {
  const { data, error, mutate } = useSWR<{ tokens: ApiTokenView[] }>(TOKENS_KEY, fetchJson);
  const [created, setCreated] = useState<ApiTokenView | null>(null);
  const headingId = useId();
  const nameOf = (id: string) => workspaces.find((w) => w.id === id)?.name ?? id;

  return (
    <section aria-labelledby={headingId} className={CARD}>
      <div className="space-y-1">
        <h2 id={headingId} className={HEADING}>
          API tokens
        </h2>
        <p className={HINT}>
          For scripts and the CLI: send <code className="font-mono">Authorization: Bearer hs_tok_…</code>. A token acts in one workspace
          with its role, never above your own there, and stops working when you leave the workspace.
        </p>
      </div>
      {created ? (
        <NewToken token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          workspaces={workspaces}
          onCreated={async (t) => {
            setCreated(t);
            await mutate();
          }}
        />
      )}
      {error ? (
        <p role="alert" className={ERROR}>
          Could not load your tokens: {errorMessage(error)}
        </p>
      ) : !data ? (
        <p className="text-sm text-zinc-500">Loading tokens…</p>
      ) : data.tokens.length === 0 ? (
        <p className="text-sm text-zinc-500">No API tokens yet.</p>
      ) : (
        <div className="-mx-2 overflow-x-auto">
          <table className={TABLE} aria-label="Your API tokens">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className={TH}>Name</th>
                <th className={TH}>Workspace</th>
                <th className={TH}>Role</th>
                <th className={TH}>Token</th>
                <th className={TH}>Created</th>
                <th className={TH}>Last used</th>
                <th className={TH}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
              {data.tokens.map((t) => (
                <tr key={t.id}>
                  <td className={`${TD} font-medium`}>{t.name}</td>
                  <td className={TD}>{nameOf(t.workspaceId)}</td>
                  <td className={TD}>{t.role}</td>
                  <td className={`${TD} font-mono text-xs text-zinc-500`}>{t.prefix}…</td>
                  <td className={`${TD} whitespace-nowrap text-zinc-500`}>
                    <LocalDate iso={t.createdAt} />
                  </td>
                  <td className={`${TD} whitespace-nowrap text-zinc-500`}>
                    {t.lastUsedAt ? <LocalDate iso={t.lastUsedAt} format="datetime" /> : "never"}
                  </td>
                  <td className={`${TD} text-right`}>
                    <ConfirmButton
                      label="Revoke"
                      ariaLabel={`Revoke token ${t.name}`}
                      title={`Revoke the token “${t.name}”?`}
                      description="Scripts using it stop working at once. This cannot be undone."
                      confirmLabel="Revoke token"
                      onConfirm={async () => {
                        await sendJson("DELETE", `/api/tokens/${encodeURIComponent(t.id)}`);
                        await mutate();
                      }}
                    />
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

function NewToken({ token, onDone }: { token: ApiTokenView; onDone(): void }) {
  return (
    <div
      data-testid="new-token"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950/40"
    >
      <p role="status" className="text-sm font-medium text-amber-900 dark:text-amber-200">
        Copy the token “{token.name}” now: it is shown only once and cannot be recovered. Keep it secret, like a password.
      </p>
      <div className="flex items-center gap-2">
        <code
          data-testid="new-token-value"
          className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900"
        >
          {token.token}
        </code>
        <CopyButton text={token.token ?? ""} label="Copy token" />
      </div>
      <button type="button" className={BUTTON} onClick={onDone}>
        Done, I have copied it
      </button>
    </div>
  );
}

function CreateTokenForm({ workspaces, onCreated }: { workspaces: WorkspaceView[]; onCreated(t: ApiTokenView): Promise<void> }) {
  const id = useId();
  const personal = workspaces.find((w) => w.personal) ?? workspaces[0];
  const [name, setName] = useState("");
  const [workspaceId, setWorkspaceId] = useState(personal?.id ?? "");
  const myRole: Role = workspaces.find((w) => w.id === workspaceId)?.role ?? "viewer";
  const [role, setRole] = useState<Role | "">("");
  const allowed = rolesUpTo(myRole);
  const effectiveRole = role && allowed.includes(role) ? role : myRole;
  const creating = useMutation(async () => {
    const token = await sendJson<ApiTokenView>("POST", TOKENS_KEY, { name, workspaceId, role: effectiveRole });
    setName("");
    setRole("");
    await onCreated(token);
  }, errorMessage);
  const { busy, error } = creating;

  function submit(ev: React.FormEvent) {
    ev.preventDefault();
    void creating.run();
  }

  return (
    <form onSubmit={submit} aria-label="Create an API token" className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_8rem]">
        <div className="space-y-1">
          <label htmlFor={`${id}-name`} className={LABEL}>
            Token name
          </label>
          <input
            id={`${id}-name`}
            className={`${INPUT} w-full`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. CI deploy script"
            maxLength={80}
            required
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-ws`} className={LABEL}>
            Workspace
          </label>
          <select id={`${id}-ws`} className={`${INPUT} w-full`} value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)}>
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-role`} className={LABEL}>
            Role
          </label>
          <select
            id={`${id}-role`}
            className={`${INPUT} w-full`}
            value={effectiveRole}
            onChange={(e) => setRole(e.target.value as Role)}
            aria-describedby={`${id}-role-help`}
          >
            {allowed.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p id={`${id}-role-help`} className={HINT}>
        Up to your own role in that workspace ({myRole}). Give a script the lowest role it needs.
      </p>
      {error ? (
        <p role="alert" className={ERROR}>
          {error}
        </p>
      ) : null}
      <button type="submit" className={PRIMARY} disabled={busy || name.trim() === "" || !workspaceId}>
        {busy ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
