"use client";
// The endpoint's saved signing secrets: members save and delete them; only a fingerprint is ever shown again.
import { useState } from "react";
import { errorMessage } from "../inspector/api";
import { BUTTON, DANGER } from "../ui/classes";
import { FormError } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { deleteSecretRequest, type SecretInfo } from "./signature-api";

export function SavedSecrets({
  endpointId,
  secrets,
  error,
  canManage,
  providerName,
  matchedId,
  onChanged,
}: {
  endpointId: string;
  secrets: SecretInfo[] | null;
  error: unknown;
  canManage: boolean;
  providerName(id: string): string;
  matchedId: string | null;
  onChanged(): Promise<void>;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const removal = useMutation(async (secretId: string) => {
    await deleteSecretRequest(endpointId, secretId);
    setConfirming(null);
    await onChanged();
  }, errorMessage);
  const { busy } = removal;

  return (
    <section aria-label="Saved secrets" className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Saved secrets</h4>
      {error ? (
        <p role="alert" className="text-sm text-rose-600 dark:text-rose-400">
          Could not load the saved secrets: {errorMessage(error)}
        </p>
      ) : secrets === null ? (
        <p className="text-xs text-zinc-500">Loading…</p>
      ) : secrets.length === 0 ? (
        <p className="text-xs text-zinc-500">None yet. Saved secrets are encrypted at rest and shown only by their fingerprint.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-900">
          {secrets.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5" data-testid="saved-secret">
              <span className="font-medium">{s.label}</span>
              <span className="text-xs text-zinc-500">{providerName(s.provider)}</span>
              <code
                className="font-mono text-xs text-zinc-600 dark:text-zinc-400"
                title="Fingerprint: the secret's kind prefix and the start of its SHA-256"
              >
                {s.fingerprint}
              </code>
              {matchedId === s.id ? (
                <span className="rounded bg-emerald-100 px-1 text-[11px] text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
                  matched
                </span>
              ) : null}
              <time className="text-xs text-zinc-500" dateTime={s.createdAt}>
                {new Date(s.createdAt).toLocaleDateString()}
              </time>
              {canManage ? (
                confirming === s.id ? (
                  <span className="ml-auto flex items-center gap-2">
                    <button type="button" className={DANGER} disabled={busy} onClick={() => void removal.run(s.id)}>
                      Delete “{s.label}”
                    </button>
                    <button type="button" className={BUTTON} onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    className={`${BUTTON} ml-auto`}
                    onClick={() => setConfirming(s.id)}
                    aria-label={`Delete secret ${s.label}`}
                  >
                    Delete
                  </button>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <FormError error={removal.error} className="text-sm text-rose-600 dark:text-rose-400" />
    </section>
  );
}
