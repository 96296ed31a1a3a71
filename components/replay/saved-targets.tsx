"use client";
// The endpoint's saved replay targets ("my laptop", "staging") above the target URL: pick one, save
// the current URL with an optional label, delete the one picked (two steps).
import { useState } from "react";
import { errorMessage } from "../inspector/api";
import { BUTTON } from "../ui/classes";
import { FormError, FormStatus } from "../ui/form-message";
import { useMutation } from "../ui/use-mutation";
import { deleteTargetRequest, saveTargetRequest, type ReplayTargetView } from "./replay-api";

export function SavedTargets({
  endpointId,
  targets,
  error,
  url,
  followRedirects,
  onPick,
  onChanged,
}: {
  endpointId: string;
  targets: ReplayTargetView[] | null;
  error: unknown;
  url: string;
  followRedirects: boolean;
  onPick(t: ReplayTargetView): void;
  onChanged(): void;
}) {
  const [saving, setSaving] = useState(false);
  const [label, setLabel] = useState("");
  const [confirming, setConfirming] = useState(false);
  /** What the last action did ("Saved …"); its failure is the mutation's error. */
  const [done, setDone] = useState<string | null>(null);
  const current = targets?.find((t) => t.url === url) ?? null;
  const saveTarget = useMutation(
    async () => {
      const t = await saveTargetRequest(endpointId, { url, ...(label.trim() && { label: label.trim() }), followRedirects });
      setDone(`Saved ${t.label ? `“${t.label}”` : t.url}.`);
      setSaving(false);
      setLabel("");
      onChanged();
    },
    (err) => `Could not save: ${errorMessage(err)}`,
  );
  const deleteTarget = useMutation(
    async (t: ReplayTargetView) => {
      await deleteTargetRequest(t.id);
      setConfirming(false);
      setDone(`Deleted ${t.label ? `“${t.label}”` : t.url}.`);
      onChanged();
    },
    (err) => `Could not delete: ${errorMessage(err)}`,
  );
  const busy = saveTarget.busy || deleteTarget.busy;

  // One message line for both actions: starting one clears what the last one said.
  function save() {
    if (busy) return;
    setDone(null);
    deleteTarget.reset();
    void saveTarget.run();
  }

  function remove(t: ReplayTargetView) {
    if (busy) return;
    setDone(null);
    saveTarget.reset();
    void deleteTarget.run(t);
  }

  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <select
          aria-label="Saved targets"
          className="min-w-0 max-w-full flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
          value={current?.id ?? ""}
          disabled={!targets || targets.length === 0}
          onChange={(e) => {
            const t = targets?.find((x) => x.id === e.target.value);
            if (t) onPick(t);
            setConfirming(false);
          }}
        >
          <option value="">
            {!targets ? "Loading saved targets…" : targets.length === 0 ? "No saved targets yet" : "Pick a saved target…"}
          </option>
          {(targets ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.label ? `${t.label} — ${t.url}` : t.url}
              {t.followRedirects ? " (follows redirects)" : ""}
            </option>
          ))}
        </select>
        {current ? (
          confirming ? (
            <>
              <button
                type="button"
                className={`${BUTTON} border-rose-400 text-rose-700 dark:text-rose-400`}
                disabled={busy}
                onClick={() => remove(current)}
              >
                Confirm delete
              </button>
              <button type="button" className={BUTTON} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className={BUTTON} onClick={() => setConfirming(true)}>
              Delete saved target
            </button>
          )
        ) : (
          <button type="button" className={BUTTON} disabled={!url || busy} onClick={() => setSaving((s) => !s)} aria-expanded={saving}>
            Save target…
          </button>
        )}
      </div>
      {saving && !current ? (
        <div className="flex flex-wrap items-center gap-2">
          <input
            aria-label="Target label"
            className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
            placeholder="Label (optional), e.g. my laptop"
            value={label}
            maxLength={100}
            onChange={(e) => setLabel(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                save();
              }
            }}
          />
          <button type="button" className={BUTTON} disabled={busy || !url} onClick={() => save()}>
            Save this URL
          </button>
        </div>
      ) : null}
      {error ? <p className="text-xs text-rose-600 dark:text-rose-400">Could not load saved targets: {errorMessage(error)}</p> : null}
      <FormError error={saveTarget.error ?? deleteTarget.error} className="text-xs text-rose-600 dark:text-rose-400" />
      <FormStatus>{done}</FormStatus>
    </div>
  );
}
