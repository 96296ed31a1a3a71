"use client";
// The endpoint's saved replay targets ("my laptop", "staging") above the target URL: pick one, save
// the current URL with an optional label, delete the one picked (two steps).
import { useState } from "react";
import { errorMessage } from "../inspector/api";
import { BUTTON } from "../ui/classes";
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
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const current = targets?.find((t) => t.url === url) ?? null;

  async function save() {
    setBusy(true);
    setMessage(null);
    try {
      const t = await saveTargetRequest(endpointId, { url, ...(label.trim() && { label: label.trim() }), followRedirects });
      setMessage({ tone: "ok", text: `Saved ${t.label ? `“${t.label}”` : t.url}.` });
      setSaving(false);
      setLabel("");
      onChanged();
    } catch (err) {
      setMessage({ tone: "error", text: `Could not save: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
  }

  async function remove(t: ReplayTargetView) {
    setBusy(true);
    setMessage(null);
    try {
      await deleteTargetRequest(t.id);
      setConfirming(false);
      setMessage({ tone: "ok", text: `Deleted ${t.label ? `“${t.label}”` : t.url}.` });
      onChanged();
    } catch (err) {
      setMessage({ tone: "error", text: `Could not delete: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
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
                onClick={() => void remove(current)}
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
                void save();
              }
            }}
          />
          <button type="button" className={BUTTON} disabled={busy || !url} onClick={() => void save()}>
            Save this URL
          </button>
        </div>
      ) : null}
      {error ? <p className="text-xs text-rose-600 dark:text-rose-400">Could not load saved targets: {errorMessage(error)}</p> : null}
      {message ? (
        <p
          role={message.tone === "error" ? "alert" : "status"}
          className={`text-xs ${message.tone === "error" ? "text-rose-600 dark:text-rose-400" : "text-emerald-700 dark:text-emerald-400"}`}
        >
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
