"use client";
// The account's workspaces with the caller's role in each, and a form for a new team workspace.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useSWRConfig } from "swr";
import { errorMessage, ME_KEY, sendJson, WORKSPACES_KEY, type WorkspaceView } from "./api";
import { CARD, ERROR, HEADING, HINT, INPUT, LABEL, PRIMARY, TABLE, TD, TH } from "../ui/classes";
import { useMutation } from "../ui/use-mutation";

export function WorkspaceList({ workspaces }: { workspaces: WorkspaceView[] }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={CARD}>
      <div className="space-y-1">
        <h2 id={headingId} className={HEADING}>
          Workspaces
        </h2>
        <p className={HINT}>Your personal workspace is only yours. Create a team workspace to share endpoints and invite people.</p>
      </div>
      <div className="-mx-2 overflow-x-auto">
        <table className={TABLE} aria-label="Your workspaces">
          <thead>
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th className={TH}>Name</th>
              <th className={TH}>Your role</th>
              <th className={TH}>Members</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
            {workspaces.map((w) => (
              <tr key={w.id}>
                <td className={TD}>
                  <Link
                    href={`/w/${encodeURIComponent(w.id)}/settings`}
                    className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                  >
                    {w.name}
                  </Link>
                  {w.personal ? (
                    <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">
                      personal
                    </span>
                  ) : null}
                </td>
                <td className={TD}>{w.role}</td>
                <td className={`${TD} text-zinc-500`}>{w.memberCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CreateWorkspaceForm />
    </section>
  );
}

function CreateWorkspaceForm() {
  const id = useId();
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [name, setName] = useState("");
  const creating = useMutation(
    async () => {
      const created = await sendJson<WorkspaceView>("POST", WORKSPACES_KEY, { name });
      await mutate(ME_KEY);
      router.push(`/w/${encodeURIComponent(created.id)}/settings`);
    },
    errorMessage,
    { stayBusy: true },
  );
  const { busy, error } = creating;

  function submit(ev: React.FormEvent) {
    ev.preventDefault();
    void creating.run();
  }

  return (
    <form onSubmit={submit} aria-label="Create a team workspace" className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      <label htmlFor={`${id}-name`} className={LABEL}>
        New team workspace
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={`${id}-name`}
          className={`${INPUT} min-w-0 flex-1`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Payments team"
          maxLength={120}
          required
        />
        <button type="submit" className={PRIMARY} disabled={busy || name.trim() === ""}>
          {busy ? "Creating…" : "Create workspace"}
        </button>
      </div>
      {error ? (
        <p role="alert" className={ERROR}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
