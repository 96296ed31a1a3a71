"use client";
// The workspace audit log (admins and owners), newest first, 50 at a time; "Load older" follows
// nextBefore. Entries are ids, names and roles, shown as text.
import { useId, useState } from "react";
import useSWRInfinite from "swr/infinite";
import { auditKey, errorMessage, fetchJson, type AuditPage } from "./api";
import { AUDIT_ACTIONS, auditDetail, auditTarget } from "./audit-format";
import { LocalDate } from "./local-date";
import { BUTTON, CARD, ERROR, HEADING, HINT, INPUT, LABEL, TABLE, TD, TH } from "../ui/classes";

export function AuditLog({ workspaceId }: { workspaceId: string }) {
  const [action, setAction] = useState("");
  const id = useId();
  const { data, error, size, setSize, isValidating, mutate } = useSWRInfinite<AuditPage>(
    (index, previous: AuditPage | null) => {
      if (index > 0 && !previous?.nextBefore) return null;
      return auditKey(workspaceId, index === 0 ? null : previous!.nextBefore, action);
    },
    fetchJson,
    { revalidateFirstPage: true },
  );
  const events = data?.flatMap((p) => p.events) ?? [];
  const last = data?.[data.length - 1];
  const loadingMore = isValidating && data !== undefined && data.length < size;

  return (
    <section aria-labelledby={`${id}-h`} className={CARD}>
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="space-y-1">
          <h2 id={`${id}-h`} className={HEADING}>
            Audit log
          </h2>
          <p className={HINT}>
            Who did what in this workspace: sign-ins, members, tokens, share links and their views, reveals, exports, deletions.
          </p>
        </div>
        <div className="flex items-end gap-2">
          <div className="space-y-1">
            <label htmlFor={`${id}-action`} className={LABEL}>
              Action
            </label>
            <select id={`${id}-action`} className={`${INPUT} py-1`} value={action} onChange={(e) => setAction(e.target.value)}>
              <option value="">All actions</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className={BUTTON} onClick={() => void mutate()}>
            Refresh
          </button>
        </div>
      </div>
      {error ? (
        <p role="alert" className={ERROR}>
          Could not load the audit log: {errorMessage(error)}
        </p>
      ) : !data ? (
        <p className="text-sm text-zinc-500">Loading the audit log…</p>
      ) : events.length === 0 ? (
        <p className="text-sm text-zinc-500">No events{action ? ` of kind ${action}` : ""}.</p>
      ) : (
        <div className="-mx-2 overflow-x-auto">
          <table className={TABLE} aria-label="Audit log">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className={TH}>Time</th>
                <th className={TH}>Actor</th>
                <th className={TH}>Action</th>
                <th className={TH}>Target</th>
                <th className={TH}>Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
              {events.map((e) => (
                <tr key={e.seq} className="align-top">
                  <td className={`${TD} whitespace-nowrap text-xs text-zinc-500`}>
                    <LocalDate iso={e.at} format="datetime" />
                  </td>
                  <td className={`${TD} max-w-[14rem] break-words text-xs`}>
                    {e.actor.label}
                    {e.actor.type !== "user" ? <span className="text-zinc-500"> ({e.actor.type})</span> : null}
                  </td>
                  <td className={`${TD} whitespace-nowrap font-mono text-xs`}>{e.action}</td>
                  <td className={`${TD} max-w-[16rem] break-all text-xs text-zinc-600 dark:text-zinc-400`}>{auditTarget(e)}</td>
                  <td className={`${TD} max-w-[16rem] break-words text-xs text-zinc-600 dark:text-zinc-400`}>
                    {auditDetail(e)}
                    {e.ip ? <span className="block text-zinc-400">from {e.ip}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {last?.nextBefore ? (
        <button type="button" className={BUTTON} disabled={loadingMore} onClick={() => void setSize(size + 1)}>
          {loadingMore ? "Loading…" : "Load older events"}
        </button>
      ) : null}
    </section>
  );
}
