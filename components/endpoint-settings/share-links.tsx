"use client";
// Share links of an endpoint (endpoint settings → Sharing) and "Share this capture" on the detail:
// read-only, always masked links that need no account, with an expiry, a view count and
// revocation. Members and up; the API refuses everyone else.
import { useCallback, useId, useState } from "react";
import useSWR from "swr";
import { createShareLink, errorMessage, fetchJson, revokeShareLink, shareLinksKey, type ShareLink } from "../inspector/api";
import { CopyButton } from "../ui/copy-button";
import { Dialog } from "../ui/dialog";
import { BUTTON, PRIMARY, INPUT, LABEL } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";

const ALERT = "text-sm text-rose-600 dark:text-rose-400";

export const EXPIRY_CHOICES = [
  { label: "1 hour", seconds: 3600 },
  { label: "1 day", seconds: 86_400 },
  { label: "7 days", seconds: 7 * 86_400 },
  { label: "30 days", seconds: 30 * 86_400 },
] as const;

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

const STATE_LOOK: Record<ShareLink["state"], string> = {
  active: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  expired: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  revoked: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300",
};

/** Expiry and label, then POST /api/endpoints/:id/share-links; shows the new URL to copy. */
export function CreateShareLinkForm({
  endpointId,
  captureId,
  onCreated,
}: {
  endpointId: string;
  captureId?: string;
  onCreated?(link: ShareLink): void;
}) {
  const id = useId();
  const [seconds, setSeconds] = useState<number>(7 * 86_400);
  const [label, setLabel] = useState("");
  const [created, setCreated] = useState<ShareLink | null>(null);
  const creation = useMutation(async () => {
    const link = await createShareLink(endpointId, { captureId, expiresInSeconds: seconds, label: label.trim() || undefined });
    setCreated(link);
    setLabel("");
    onCreated?.(link);
  }, errorMessage);
  const { busy } = creation;

  function submit(ev: React.FormEvent) {
    ev.preventDefault();
    void creation.run();
  }

  return (
    <div className="space-y-3">
      <form
        onSubmit={submit}
        aria-label={captureId ? "Share this capture" : "Create a share link"}
        className="flex flex-wrap items-end gap-2"
      >
        <div className="space-y-1">
          <label htmlFor={`${id}-expiry`} className={LABEL}>
            Expires after
          </label>
          <select id={`${id}-expiry`} className={INPUT} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.seconds} value={c.seconds}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-40 flex-1 space-y-1">
          <label htmlFor={`${id}-label`} className={LABEL}>
            Label (optional)
          </label>
          <input
            id={`${id}-label`}
            className={`${INPUT} w-full`}
            value={label}
            maxLength={120}
            placeholder="e.g. support ticket 4411"
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
        <button type="submit" className={PRIMARY} disabled={busy}>
          {busy ? "Creating…" : captureId ? "Create capture link" : "Create share link"}
        </button>
      </form>
      <FormError error={creation.error} className={ALERT} />
      {created ? (
        <div
          role="status"
          className="space-y-1 rounded-md border border-emerald-300 bg-emerald-50 p-2 dark:border-emerald-800 dark:bg-emerald-950/40"
        >
          <p className="text-xs text-emerald-900 dark:text-emerald-200">
            Link created, valid until {when(created.expiresAt)}. Anyone with it sees{" "}
            {captureId ? "this capture" : "this endpoint's captures, live"}, read-only and masked.
          </p>
          <div className="flex items-center gap-2">
            <code data-testid="new-share-url" className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1 text-xs dark:bg-zinc-900">
              {created.url}
            </code>
            <CopyButton text={created.url} label="Copy link" />
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** The endpoint's share links with copy and revoke, and the form for a new one. */
export function ShareLinksPanel({ endpointId }: { endpointId: string }) {
  const { data, error, mutate } = useSWR<{ shareLinks: ShareLink[] }>(shareLinksKey(endpointId), fetchJson);
  /** The link being revoked (the mutation says whether one is). */
  const [chosen, setChosen] = useState<string | null>(null);
  const revocation = useMutation(async (link: ShareLink) => {
    await revokeShareLink(link.id);
    await mutate();
  }, errorMessage);
  const revoking = revocation.busy ? chosen : null;
  const refresh = useCallback(() => void mutate(), [mutate]);

  function revoke(link: ShareLink) {
    setChosen(link.id);
    void revocation.run(link);
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A share link shows this endpoint&apos;s captures (live) or one capture to anyone who has it, without an account. It is read-only and
        always masked: secrets stay hidden and cannot be revealed. Every view is counted and recorded in the audit log.
      </p>
      <CreateShareLinkForm endpointId={endpointId} onCreated={refresh} />
      <section aria-label="Share links" className="space-y-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Links</h3>
        {error ? (
          <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
            Could not load the share links: {errorMessage(error)}
          </p>
        ) : !data ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : data.shareLinks.length === 0 ? (
          <p className="text-sm text-zinc-500">No share links yet.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {data.shareLinks.map((link) => (
              <li key={link.id} aria-label={`Share link ${link.label ?? link.id}`} className="space-y-1.5 p-2.5">
                <div className="flex flex-wrap items-center gap-2 text-xs">
                  <span className={`rounded px-1.5 py-0.5 font-medium ${STATE_LOOK[link.state]}`}>{link.state}</span>
                  <span className="font-medium">{link.label ?? "Untitled link"}</span>
                  <span className="text-zinc-500">
                    {link.captureId ? (
                      <>
                        capture <span className="font-mono">{link.captureId}</span>
                      </>
                    ) : (
                      "whole endpoint"
                    )}
                  </span>
                  <span className="text-zinc-500">·</span>
                  <span className="text-zinc-500">
                    {link.state === "revoked" && link.revokedAt
                      ? `revoked ${when(link.revokedAt)}`
                      : `${link.state === "expired" ? "expired" : "expires"} ${when(link.expiresAt)}`}
                  </span>
                  <span className="text-zinc-500">·</span>
                  <span className="text-zinc-500">
                    {link.views} view{link.views === 1 ? "" : "s"}
                  </span>
                </div>
                {link.state === "active" ? (
                  <div className="flex items-center gap-2">
                    <code className="min-w-0 flex-1 truncate rounded bg-zinc-100 px-2 py-1 text-xs dark:bg-zinc-900">{link.url}</code>
                    <CopyButton text={link.url} label="Copy link" />
                    <button type="button" className={BUTTON} disabled={revoking === link.id} onClick={() => revoke(link)}>
                      {revoking === link.id ? "Revoking…" : "Revoke"}
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <FormError error={revocation.error} className={ALERT} />
      </section>
    </div>
  );
}

/** "Share this capture" on the detail: a dialog that creates a link to just this capture. */
export function ShareCaptureButton({ endpointId, captureId }: { endpointId: string; captureId: string }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <>
      <button type="button" className={BUTTON} onClick={() => setOpen(true)}>
        Share this capture
      </button>
      <Dialog
        open={open}
        onClose={close}
        title="Share this capture"
        description="A read-only link to this one capture that needs no account. Masked values stay masked and cannot be revealed; views are counted and audited. Revoke it any time in the endpoint's settings (Sharing)."
      >
        <CreateShareLinkForm endpointId={endpointId} captureId={captureId} />
        <div className="flex justify-end">
          <button type="button" className={BUTTON} onClick={close} data-autofocus>
            Done
          </button>
        </div>
      </Dialog>
    </>
  );
}
